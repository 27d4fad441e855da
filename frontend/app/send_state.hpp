#pragma once
// State of the email preview, the test send, the send confirmation, the live
// job view and the list of past jobs (docs/design.md §5, §7). Included by app/state.hpp
// (after LoadStatus and Id are declared); not on its own.

#include <invites/send_status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace invites::app {

// The tabs of the main screen.
enum class MainTab { invites, jobs, setup };
const char* to_string(MainTab tab);  // "invites", "jobs", "setup"

// The recipient a preview was rendered for (null in the API: example values).
struct PreviewRecipient {
  std::string email, first_name, last_name, account_number, account_name;
};

// The selected template rendered for one recipient of the loaded preview
// (POST /api/render: the server renders with the same common/ code it sends with).
struct EmailPreview {
  bool open = false;
  LoadStatus status = LoadStatus::idle;  // the render request (Loading also while finding the first recipient)
  std::string error;
  std::string recipient_email;                // the chosen recipient; "" until one is known
  std::optional<PreviewRecipient> recipient;  // as rendered; nullopt: the documented example values
  std::optional<Id> template_id;              // the template rendered
  std::string preview_id;                     // the Load it was rendered for
  std::string subject, text_body, html_body;
  std::uint64_t generation = 0;  // bumps per request: older answers are dropped

  // Test send (POST /api/test-send) to a typed address.
  std::string test_to;
  LoadStatus test_status = LoadStatus::idle;
  std::string test_message;  // "Delivered to …" or the problem (the SMTP server's reply)
};

// The confirmation dialog of Send Email: what will be sent, frozen when it opens.
struct SendConfirm {
  bool open = false;
  std::string preview_id;
  Counts counts;
  bool new_users = true;  // send to this group
  bool pending_invites = true;
  std::string from_email;
  Id template_id = 0;
  std::string template_name;
  std::string idempotency_key;  // one per dialog: a retry of the same click reuses it
  bool busy = false;            // POST send in flight
  std::string error;            // why the last attempt failed (the dialog stays open)
};

// One send job as the API reports it.
struct Job {
  std::int64_t id = 0;
  // nullopt: a status this app does not know, or the job is gone (no more polls).
  std::optional<JobStatus> status;
  std::string pause_reason;  // "" when none
  std::string created_at, created_by, from_email;
  Id template_id = 0;
  std::string template_name;
  std::vector<Group> groups;
  std::uint64_t total = 0, sent = 0, failed = 0, pending = 0, skipped = 0;
  double rate_per_second = 0.0;
  std::optional<std::int64_t> eta_seconds;
  std::string started_at, finished_at;
};

// A recipient row of a job (GET /api/jobs/{id}/recipients).
struct JobRecipient {
  std::string email;
  std::optional<Group> group;
  std::optional<OutboxStatus> status;
  int attempts = 0;
  std::string last_error;  // the server's reply for a failure
  std::string sent_at;
};

// The failed list is read in blocks of this many rows, for the rows on screen.
inline constexpr std::size_t failed_block_rows = 200;
// The skipped list shows at most this many rows (the first ones, in queue order).
inline constexpr std::size_t skipped_rows_shown = 200;
// The job view asks for progress this often while the job is queued or running.
inline constexpr double job_poll_seconds = 1.0;

struct JobView {
  bool open = false;
  std::int64_t job_id = 0;
  LoadStatus status = LoadStatus::idle;  // the first GET (Loaded once a job arrived)
  std::optional<Job> job;
  std::string error;    // last poll or command problem ("" when fine)
  std::string command;  // "pause", "resume", "cancel", "retry-failed" in flight; "" none
  bool poll_in_flight = false;
  double next_poll_at = 0.0;  // in the clock of Actions::tick
  // All failed recipients with their server replies (GET .../recipients?status=failed, paged):
  // Loading until the list's first answer, Loaded once failed_total is known, Failed when a
  // request failed (no retry loop: the user reloads by hand).
  LoadStatus failed_status = LoadStatus::idle;
  RowBlocks<JobRecipient, failed_block_rows> failed_rows;
  std::uint64_t failed_total = 0;                // rows of the list, as its last answer said
  std::optional<std::uint64_t> failed_rows_for;  // the job's failed count the list is current for
  // The first skipped recipients with the reason each was not mailed, e.g. "skipped:
  // invited moments ago by job #12" (GET .../recipients?status=skipped), read again
  // whenever the job's skipped count changes.
  LoadStatus skipped_status = LoadStatus::idle;
  std::vector<JobRecipient> skipped_rows;
  std::uint64_t skipped_total = 0;                // of the list's last answer
  std::optional<std::uint64_t> skipped_rows_for;  // the job's skipped count the list is current for
};

// The list refreshes this often while the Jobs tab shows a job that runs.
inline constexpr double job_list_poll_seconds = 3.0;

struct JobList {
  LoadStatus status = LoadStatus::idle;
  std::vector<Job> jobs;  // newest first
  std::string error;
  double next_poll_at = 0.0;  // in the clock of Actions::tick
};

struct SendState {
  MainTab tab = MainTab::invites;
  EmailPreview email;
  SendConfirm confirm;
  // A send answered 409 digest_mismatch: the preview it was for is out of date.
  std::string outdated_preview_id;
  std::string notice;  // "The recipients changed since Load: …"
  JobView job;
  JobList jobs;
};

// The job is still moving: the view polls it.
bool job_active(const Job& job);
// "2 h 05 min", "3 min 20 s", "45 s"
std::string format_duration(std::int64_t seconds);
// "The recipients changed since Load: N new users, M pending invites now. Press Load again."
std::string digest_mismatch_message(std::uint64_t new_users, std::uint64_t pending_invites);

}  // namespace invites::app
