#pragma once
// Everything the UI shows. Panels read it; only Actions change it.
// Plain C++ (no Emscripten, no ImGui): natively testable with a fake Fetcher.

#include "app/offline_state.hpp"
#include "app/row_blocks.hpp"

#include <invites/evaluator.hpp>
#include <invites/filter.hpp>
#include <invites/recipients.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace invites::app {

// Permission numbers (docs/design.md §1).
inline constexpr int permission_send_invites = 390;  // "Send Account Portal Invitations"
inline constexpr int permission_setup = 120;         // "Setup \ System and Security"

// Messages shown by the UI; tests compare them.
inline constexpr const char* session_expired_message = "Your session has expired. Please sign in again.";
inline constexpr const char* invalid_email_message = "Enter a valid email address";

enum class ServerStatus {
  unknown,      // not checked yet
  checking,     // GET /healthz in flight
  connected,    // /healthz answered 2xx
  unreachable,  // no answer, or an error status
};

const char* to_string(ServerStatus status);

struct ServerState {
  ServerStatus status = ServerStatus::unknown;
  std::string problem;  // readable reason when Unreachable, e.g. "HTTP 404 Not Found"
  int checks = 0;       // how many checks were started
};

// Which screen the body of the shell shows.
enum class Screen {
  starting,  // GET /api/me in flight (restoring a session after reload)
  login,
  main,  // the Send Bulk Portal Invites screen (or the missing-permission message)
};

const char* to_string(Screen screen);

struct User {
  std::int64_t id = 0;
  std::string username;
};

struct Session {
  User user;
  std::vector<int> permissions;
  std::string csrf_token;

  bool has(int permission) const;
};

struct LoginForm {
  std::string username;
  std::string password;
  bool busy = false;   // POST /api/session in flight: Sign in is disabled
  std::string error;   // the last attempt's problem (server message, throttling, unreachable)
  std::string notice;  // why the user is here, e.g. the session-expired message
};

// One entry of a lookup list.
struct LookupItem {
  Id id = 0;
  std::string name;
  std::optional<std::string> default_from_email;  // divisions only
};

enum class LoadStatus { idle, loading, loaded, failed };
const char* to_string(LoadStatus status);  // "idle", "loading", "loaded", "failed"

// The five filter lists of the screen, in screen order.
enum class ListKind { division, account_class, bill_group, account_source, site_source };
inline constexpr std::array<ListKind, 5> all_lists{ListKind::division, ListKind::account_class, ListKind::bill_group,
                                                   ListKind::account_source, ListKind::site_source};
const char* list_label(ListKind kind);  // "Division", "Account Class", …

// The four flags, in screen order.
enum class FlagKind { active_service, balance_due, billing_contacts, without_autopay };
inline constexpr std::array<FlagKind, 4> all_flags{FlagKind::active_service, FlagKind::balance_due,
                                                   FlagKind::billing_contacts, FlagKind::without_autopay};
const char* flag_label(FlagKind kind);  // "Accounts With Active Service", …

struct Lookups {
  LoadStatus status = LoadStatus::idle;
  std::string error;
  std::vector<LookupItem> divisions, account_classes, bill_groups, account_sources, site_sources;
  std::vector<LookupItem> templates;  // empty: "No templates yet"

  const std::vector<LookupItem>& list(ListKind kind) const;
  std::vector<LookupItem>& list(ListKind kind);
};

// What the user has entered on the screen.
struct InviteForm {
  Filter filter;  // ids kept sorted ascending
  std::string email_from;
  bool email_from_typed = false;  // the user typed their own: no more prefill
  std::optional<Id> template_id;
};

// The result of Load (POST /api/previews).
struct Preview {
  LoadStatus status = LoadStatus::idle;
  bool has_result = false;  // a successful Load happened (kept while reloading)
  Filter loaded_filter;     // the filter the shown result was computed for
  std::string preview_id;
  Counts counts;
  std::string digest;
  // When the snapshot the counts come from was read from the database, as
  // sent by the server (ISO 8601): the data is as of then, however old.
  std::string generated_at;
  // Problem of the last Load (status Failed).
  std::string error_code;
  std::string error_message;
  std::string error_field;
};

// --- the recipient review (docs/design.md §7): one group of the loaded preview ---------

// The lists behind the count links are common/'s CountGroup; the table's
// columns, in screen order, its all_sort_columns.
const char* group_caption(CountGroup group);  // "New users", …
const char* column_label(SortColumn column);  // "Email", "First name", …

struct RecipientEntry {
  std::string email, first_name, last_name, account_number, account_name;
  std::uint64_t contact_id = 0;
  std::string last_invited_at;  // ISO 8601 as sent; empty when never invited
};

// Rows are fetched in blocks of this many, on demand, for the rows on screen.
inline constexpr std::size_t recipient_block_rows = 200;

struct RecipientTable {
  bool open = false;
  CountGroup group = CountGroup::new_users;
  std::string preview_id;  // the preview the rows belong to
  std::string query;       // the search in effect (q)
  SortColumn sort = SortColumn::email;
  bool descending = false;
  // Status of the current query: Loading until its first answer, Loaded once
  // the total is known, Failed when a request failed (error holds why).
  LoadStatus status = LoadStatus::idle;
  std::uint64_t total = 0;  // valid when has_total
  bool has_total = false;
  std::string error;
  RowBlocks<RecipientEntry, recipient_block_rows> blocks;
  std::uint64_t generation = 0;  // bumps whenever the query changes: older answers are dropped
};

}  // namespace invites::app

// Email preview, send, jobs (send_state.hpp) and Setup (setup_state.hpp) use the types above.
#include "app/send_state.hpp"
#include "app/setup_state.hpp"
#include "app/suppression_state.hpp"

namespace invites::app {

struct State {
  std::string version;  // build version shown in the shell
  ServerState server;
  Screen screen = Screen::starting;
  LoginForm login;
  std::optional<Session> session;
  Lookups lookups;
  InviteForm form;
  Preview preview;
  std::optional<Group> selected_group;  // the mailed count link clicked last
  RecipientTable recipients;            // the recipient list opened from a count link
  SendState send;                       // email preview, test send, send, jobs
  SetupState setup;                     // templates and sender addresses (permission 120)
  SuppressionList suppressions;         // bounced or complained addresses (permission 390)
  OfflineState offline;                 // the cached snapshot, offline Load, live estimate (app/offline.hpp)
};

// --- derived values (pure functions of State) ---------------------------------

std::vector<Id>& ids_of(Filter& filter, ListKind kind);
const std::vector<Id>& ids_of(const Filter& filter, ListKind kind);
bool& flag_of(Filter& filter, FlagKind kind);
bool flag_of(const Filter& filter, FlagKind kind);

bool can_use_invites(const State& state);  // signed in with permission 390
// The shown result no longer matches the filters on screen.
bool preview_stale(const State& state);
// Load may be pressed (signed in, permitted, lookups loaded, no Load running).
bool can_load(const State& state);
// A fresh result for the filters on screen exists and the sender is valid
// (Send itself comes in a later version; this is its enabling rule).
bool can_send(const State& state);
// "" when the typed Email From is empty or valid; else invalid_email_message.
std::string email_from_problem(const InviteForm& form);
// The text of a multi-select's closed combo: "All", the single name, or "N selected".
std::string selection_summary(const std::vector<LookupItem>& items, const std::vector<Id>& selected);
// "2026-11-26 12:30:00 UTC" from the preview's generated_at; the raw text
// when it cannot be parsed.
std::string data_as_of(const Preview& preview);
// GET URLs of the recipient list: one block of rows, and the whole list as CSV.
std::string recipients_url(const RecipientTable& table, std::size_t offset, std::size_t limit);
std::string recipients_csv_url(const RecipientTable& table);

}  // namespace invites::app
