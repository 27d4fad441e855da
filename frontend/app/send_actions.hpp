#pragma once
// Named actions of the email preview, the test send, Send Email and the job
// views (docs/design.md §5, §7). Reached through Actions::sending(); requests go through
// Actions' API call (CSRF header, 401 → login, answers after sign-out dropped).

#include "app/state.hpp"
#include "app/fetcher.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace invites::app {

// Makes an API call the way Actions does (session rules included).
using ApiCaller = std::function<void(FetchRequest, FetchCallback)>;
// Opens an HTML document in a new browser tab (platform::open_html_tab; a fake in tests).
using HtmlOpener = std::function<void(const std::string& html)>;
// A fresh random idempotency key (platform::random_key in the browser).
using KeySource = std::function<std::string()>;

class SendActions {
 public:
  SendActions(State& state, ApiCaller api);
  SendActions(const SendActions&) = delete;
  SendActions& operator=(const SendActions&) = delete;

  void set_html_opener(HtmlOpener open_html) { open_html_ = std::move(open_html); }
  void set_key_source(KeySource make_key) { make_key_ = std::move(make_key); }

  // Called every main-loop tick with a monotonic clock in seconds: polls the
  // open job once per job_poll_seconds while it is queued or running, and
  // re-renders the open email preview when the template choice changed.
  // Starts nothing while nothing runs (the page can idle).
  void tick(double now_seconds);

  void show_tab(MainTab tab);

  // GET /api/lookups answered: when it lists no templates (a server that does
  // not include them), the next tick fetches the active ones from GET /api/templates.
  void lookups_loaded();  // the Jobs tab also refreshes the list of past jobs

  // --- email preview and test send ---
  // Opens the preview for the chosen recipient, else the first recipient of
  // the selected group (new users, then pending invites) of the loaded preview.
  void open_email_preview();
  void close_email_preview();
  // A row of the recipient table was picked: render for that recipient.
  void preview_for_recipient(const std::string& email);
  void refresh_email_preview();
  void open_html_preview();                          // the rendered HTML body in a new tab
  void open_html_document(const std::string& html);  // any HTML (the Setup preview) in a new tab
  void set_test_address(std::string to);
  void send_test();  // POST /api/test-send

  // --- Send ---
  void open_send_dialog();  // only when can_send(); a new idempotency key
  void set_send_group(Group group, bool on);
  void cancel_send_dialog();
  void confirm_send();  // POST /api/previews/{id}/send (same key on a retry)
  void dismiss_notice();

  // --- jobs ---
  void load_jobs();                    // GET /api/jobs
  void open_job(std::int64_t job_id);  // GET /api/jobs/{id}, then polling while it runs
  void close_job();
  void pause_job();
  void resume_job();
  void cancel_job();
  void retry_failed();
  // The failed table shows rows [first, last] (inclusive): fetches their missing or outdated blocks.
  void need_failed_rows(std::size_t first, std::size_t last);
  void reload_failed_rows();  // drops the list and reads it again (after a failure)

  // Sign-in, sign-out: everything back to the start.
  void reset();

 private:
  void fetch_active_templates();
  void render_preview();
  void find_first_recipient();
  void job_command(const char* command);
  void poll_job();
  void fetch_failed_block(std::size_t block);
  void fetch_skipped_rows();  // the first skipped_rows_shown of the job's skipped recipients
  void apply_job(Job job);
  void on_send_result(FetchResult&& result, std::string preview_id);

  State& state_;
  ApiCaller api_;
  HtmlOpener open_html_;
  KeySource make_key_;
  double now_ = 0.0;
  std::uint64_t generation_ = 0;            // email preview requests
  std::uint64_t job_generation_ = 0;        // bumps when another job is opened
  std::uint64_t failed_generation_ = 0;     // bumps when the failed list is read anew
  std::uint64_t templates_generation_ = 0;  // the template list fetched for the lookups
  bool templates_wanted_ = false;
};

// Parses a job object of the API; nullopt when it is not one.
std::optional<Job> parse_job(const nlohmann::json& object);

}  // namespace invites::app
