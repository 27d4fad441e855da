#pragma once
// Named actions: the only way the UI changes app state. Each action updates
// State at once (e.g. "checking…") and may start requests whose results
// update State later, from the main loop.
//
// Session rules: every non-GET /api call carries X-CSRF-Token; a 401 from any
// call made inside a session ends it (login screen, "session expired"); answers
// that arrive after the session ended (sign-out, expiry) are dropped.

#include "app/fetcher.hpp"
#include "app/send_actions.hpp"
#include "app/setup_actions.hpp"
#include "app/suppression_actions.hpp"
#include "app/state.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace invites::app {

class Offline;

// Opens a same-origin URL as a download (the platform's job; a fake in tests).
using UrlOpener = std::function<void(const std::string& url)>;

class Actions {
 public:
  Actions(State& state, Fetcher fetcher, UrlOpener open_url = {});
  Actions(const Actions&) = delete;
  Actions& operator=(const Actions&) = delete;

  // At start: checks the server and restores a session (GET /api/me).
  void start();

  // GET /healthz; no-op while a check is already running.
  void check_server();
  // The user asked to check again (the Retry button); also retries restoring
  // the session when that failed because the server could not be reached.
  void retry_server_check();

  // GET /api/me: 200 → signed in again, 401 → login screen.
  void restore_session();

  // Login screen.
  void set_login_username(std::string username);
  void set_login_password(std::string password);
  void submit_login();  // POST /api/session; no-op while one runs or without a username
  void sign_out();      // DELETE /api/session (with X-CSRF-Token); back to login at once
  // Back to the login screen with `notice`, no request (e.g. a session that the
  // server no longer knows when it comes back after an offline preview).
  void end_session(std::string notice) { leave_session(std::move(notice)); }

  // GET /api/lookups (started after sign-in when permission 390 is there).
  void load_lookups();

  // The Send Bulk Portal Invites form. Changing a filter makes a loaded
  // result stale until the next Load.
  void select_all(ListKind list);  // "All": the empty list
  void set_selected(ListKind list, Id id, bool selected);
  void set_flag(FlagKind flag, bool on);
  void set_email_from(std::string text);  // typed by the user
  void set_template(std::optional<Id> template_id);

  // Load: POST /api/previews with the filter on screen.
  void load_preview();
  // A mailed group's count link was clicked: selects it and opens its list.
  void select_group(Group group);

  // The recipient list of the loaded preview (GET /api/previews/{id}/recipients),
  // fetched in blocks of recipient_block_rows for the rows on screen.
  void open_recipients(CountGroup group);  // any of the count links
  void close_recipients();
  void set_recipient_search(std::string text);  // applied at once: the panel debounces
  void set_recipient_sort(SortColumn column, bool descending);
  // The table shows rows [first, last] (inclusive): fetches the missing blocks.
  void need_recipient_rows(std::size_t first, std::size_t last);
  // Drops the rows and fetches again (after a failure).
  void reload_recipients();
  // Opens the CSV of the whole list (same group, search and order).
  void download_recipients_csv();

  // The offline copy (app/offline.hpp), when the app has one (App attaches it;
  // without one these do nothing).
  void attach_offline(Offline& offline) { offline_ = &offline; }
  void refresh_offline_copy();    // "Refresh offline copy": download now
  void preview_offline(bool on);  // "Preview offline" / "Back online"

  // Email preview, test send, Send and the job views (app/send_actions.hpp);
  // the Setup screen (app/setup_actions.hpp).
  SendActions& sending() { return sending_; }
  SetupActions& setup() { return setup_; }
  // The suppression list (app/suppression_actions.hpp).
  SuppressionActions& suppressions() { return suppressions_; }

 private:
  void call_api(FetchRequest request, FetchCallback done);
  void on_health_result(FetchResult&& result);
  void on_me_result(FetchResult&& result);
  void on_login_result(FetchResult&& result);
  void on_lookups_result(FetchResult&& result);
  void on_preview_result(FetchResult&& result, const Filter& sent);
  void enter_session(Session session);
  void leave_session(std::string notice);
  void reset_workspace();
  void prefill_email_from();
  void restart_recipients();  // new query: empty cache, first block requested
  void fetch_recipient_block(std::size_t block);
  void on_recipient_block(FetchResult&& result, std::uint64_t generation, std::size_t block);

  State& state_;
  Fetcher fetch_;
  UrlOpener open_url_;
  Offline* offline_ = nullptr;
  std::uint64_t recipient_generation_ = 0;  // never reused, so old answers never match a new query
  std::uint64_t epoch_ = 0;                 // bumps whenever a session starts or ends
  bool restore_unreachable_ = false;        // GET /api/me got no usable answer
  bool restoring_ = false;
  SendActions sending_;
  SetupActions setup_;
  SuppressionActions suppressions_;
};

}  // namespace invites::app
