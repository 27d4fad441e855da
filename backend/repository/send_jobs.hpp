#pragma once
// Send jobs and their outbox, as the API sees them (docs/design.md §5, §6): creating a
// job with its recipients in one transaction, progress, state changes, and
// the recipients of a job. The sending side is repository/outbox.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <cppconn/connection.h>

#include "invites/filter.hpp"
#include "invites/recipients.hpp"
#include "invites/send_status.hpp"
#include "repository/templates.hpp"

namespace invites::repository {

struct NewJob {
  std::uint64_t created_by = 0;
  std::string from_email;
  StoredTemplate message_template;  // copied into the job (template_json)
  Filter filter;                    // its recipients by SQL become the outbox (repository/outbox_fill.hpp)
  std::vector<Group> groups;        // the mailed groups chosen
  std::string digest;               // of the whole result, as Load showed it
  std::optional<std::string> idempotency_key;
  std::string preview_id;   // at most one job per preview
  int invite_ttl_days = 0;  // the server's setting (cli::ServiceConfig)
};

struct CreatedJob {
  enum class Outcome : std::uint8_t {
    created,
    existing,            // the idempotency key or the preview named a job already
    recipients_changed,  // their digest now is not the one Load showed: nothing written
    no_recipients,       // the chosen groups have none: nothing written
  };
  Outcome outcome = Outcome::created;
  std::uint64_t id = 0;          // created, existing
  std::uint64_t recipients = 0;  // created: the outbox rows
  std::string digest;            // created, recipients_changed: of the recipients by SQL
};

// The job a user created with this idempotency key, if any.
std::optional<std::uint64_t> job_id_for_key(sql::Connection& connection, std::uint64_t user_id, const std::string& key);

// Inserts the job and one outbox row per recipient of the chosen groups, by
// SQL, in one transaction, if the digest of the recipients (the same read)
// is the one Load showed. For a preview already sent, or an idempotency key
// already used by the same user, returns that job instead, after the same
// check (also when a concurrent request inserted it first).
CreatedJob create_job(sql::Connection& connection, const NewJob& job);

struct JobProgress {
  std::uint64_t id = 0;
  JobStatus status = JobStatus::queued;
  std::optional<std::string> pause_reason;
  std::string created_at, created_by;  // ISO 8601 UTC, username
  std::string from_email;
  std::uint32_t template_id = 0;
  std::string template_name;
  std::vector<Group> groups;
  std::uint64_t total = 0, sent = 0, failed = 0, pending = 0, skipped = 0, cancelled = 0;
  double rate_per_second = 0;  // sent in the last rate window
  std::optional<double> eta_seconds;
  std::optional<std::string> started_at, finished_at;
};

std::optional<JobProgress> find_job(sql::Connection& connection, std::uint64_t job_id);
// Newest first.
std::vector<JobProgress> list_jobs(sql::Connection& connection, std::size_t limit);

// State changes; each returns false when the job is not in a state that
// allows it (e.g. resume of a completed job).
bool pause_job(sql::Connection& connection, std::uint64_t job_id, const std::string& reason);
bool resume_job(sql::Connection& connection, std::uint64_t job_id);
bool cancel_job(sql::Connection& connection, std::uint64_t job_id);
// The rows a cancel left pending (its server died between its two steps, or
// other servers' writes kept aborting the second; see send_jobs.cpp) become
// cancelled; returns how many.
std::uint64_t cancel_rows_left_pending(sql::Connection& connection);
// Writes the final counts into the job row (see migration 0006).
void freeze_job_counts(sql::Connection& connection, std::uint64_t job_id);
// Failed recipients become pending again, and a completed job runs again;
// returns how many. None for a cancelled job: it sends nothing more.
std::uint64_t retry_failed(sql::Connection& connection, std::uint64_t job_id);

struct OutboxRow {
  std::string email;
  Group group = Group::new_users;
  OutboxStatus status = OutboxStatus::pending;
  std::uint32_t attempts = 0;
  std::optional<std::string> last_error, sent_at;
  // The last delivery outcome of the message (docs/design.md §11), if any:
  // "hard_bounce", "soft_bounce" or "complaint", with the server's words.
  std::optional<std::string> outcome, outcome_diagnostic;
};
// Which of a job's recipients a page lists: all (monostate), one sending
// status (pending includes the rows being sent), or the messages with a
// bounce (hard or soft) or a complaint, whatever their sending status.
enum class ReportedOutcome : std::uint8_t { bounced, complained };
using JobRecipientFilter = std::variant<std::monostate, OutboxStatus, ReportedOutcome>;
struct OutboxPage {
  std::uint64_t total = 0;
  std::vector<OutboxRow> rows;
};
// A page of the job's recipients in the order they were queued (group, then
// email), all of them or those the filter names.
// total counts them all, for paging through long lists.
OutboxPage job_recipients(sql::Connection& connection, std::uint64_t job_id, const JobRecipientFilter& filter,
                          std::size_t offset, std::size_t limit);

}  // namespace invites::repository
