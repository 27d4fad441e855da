#include "app/actions.hpp"

#include "app/api_json.hpp"
#include "app/offline.hpp"

#include <invites/enum_names.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace invites::app {

namespace {

using nlohmann::json;

constexpr int health_timeout_ms = 5000;
constexpr int preview_timeout_ms = 60000;

std::optional<Session> parse_session(const std::string& body) {
  const std::optional<json> doc = api::parse(body);
  if (!doc || !doc->is_object()) return std::nullopt;
  const auto user = doc->find("user");
  const auto permissions = doc->find("permissions");
  if (user == doc->end() || !user->is_object() || permissions == doc->end() || !permissions->is_array())
    return std::nullopt;
  Session session;
  const auto id = user->find("id");
  if (id != user->end() && id->is_number_integer()) session.user.id = id->get<std::int64_t>();
  session.user.username = api::str(*user, "username");
  for (const json& p : *permissions)
    if (p.is_number_integer()) session.permissions.push_back(p.get<int>());
  session.csrf_token = api::str(*doc, "csrf_token");
  if (session.user.username.empty()) return std::nullopt;
  return session;
}

bool parse_items(const json& doc, const char* key, bool required, std::vector<LookupItem>& out) {
  out.clear();
  const auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return !required;
  if (!it->is_array()) return false;
  for (const json& entry : *it) {
    if (!entry.is_object()) return false;
    const auto id = entry.find("id");
    if (id == entry.end() || !id->is_number_unsigned() || id->get<std::uint64_t>() == 0 ||
        id->get<std::uint64_t>() > 0xffffffffu)
      return false;
    LookupItem item;
    item.id = id->get<Id>();
    item.name = api::str(entry, "name");
    const auto from = entry.find("default_from_email");
    if (from != entry.end() && from->is_string() && !from->get<std::string>().empty())
      item.default_from_email = from->get<std::string>();
    out.push_back(std::move(item));
  }
  return true;
}

}  // namespace

const char* to_string(ServerStatus status) {
  static constexpr std::array<const char*, 4> names{"unknown", "checking", "connected",
                                                    "unreachable"};  // by ServerStatus
  static_assert(detail::all_named(names));
  return detail::name_in(names, status);
}

Actions::Actions(State& state, Fetcher fetcher, UrlOpener open_url)
    : state_(state),
      fetch_(std::move(fetcher)),
      open_url_(std::move(open_url)),
      sending_(state,
               [this](FetchRequest request, FetchCallback done) { call_api(std::move(request), std::move(done)); }),
      setup_(
          state, [this](FetchRequest request, FetchCallback done) { call_api(std::move(request), std::move(done)); },
          [this] {
            if (!can_use_invites(state_)) return;
            state_.lookups.status = LoadStatus::idle;  // a reload even when one runs
            load_lookups();
          }),
      suppressions_(
          state, [this](FetchRequest request, FetchCallback done) { call_api(std::move(request), std::move(done)); },
          [this](const std::string& url) {
            if (open_url_) open_url_(url);
          }) {}

void Actions::start() {
  check_server();
  restore_session();
}

// --- server health -------------------------------------------------------------

void Actions::check_server() {
  if (state_.server.status == ServerStatus::checking) return;
  state_.server.status = ServerStatus::checking;
  ++state_.server.checks;

  fetch_(api::request("GET", "/healthz", {}, health_timeout_ms),
         [this](FetchResult&& result) { on_health_result(std::move(result)); });
}

void Actions::retry_server_check() {
  check_server();
  if (restore_unreachable_ && !state_.session && !state_.login.busy) restore_session();
}

void Actions::on_health_result(FetchResult&& result) {
  if (result.ok()) {
    state_.server.status = ServerStatus::connected;
    state_.server.problem.clear();
  } else {
    state_.server.status = ServerStatus::unreachable;
    state_.server.problem = result.error.empty() ? "HTTP " + std::to_string(result.status) : result.error;
  }
}

// --- API calls -------------------------------------------------------------------

void Actions::call_api(FetchRequest request, FetchCallback done) {
  if (request.method != "GET" && state_.session) request.csrf_token = state_.session->csrf_token;
  const std::uint64_t epoch = epoch_;
  fetch_(std::move(request), [this, epoch, done = std::move(done)](FetchResult&& result) {
    if (epoch != epoch_) return;  // the session ended (or another began) meanwhile
    if (result.status == 401 && state_.session) {
      leave_session(session_expired_message);
      return;
    }
    done(std::move(result));
  });
}

// --- session ---------------------------------------------------------------------

void Actions::restore_session() {
  if (state_.session || restoring_) return;
  restoring_ = true;
  restore_unreachable_ = false;
  if (state_.screen != Screen::login) state_.screen = Screen::starting;
  call_api(api::request("GET", "/api/me"), [this](FetchResult&& result) { on_me_result(std::move(result)); });
}

void Actions::on_me_result(FetchResult&& result) {
  restoring_ = false;
  if (state_.session || state_.login.busy) return;  // signed in by hand meanwhile
  if (result.ok()) {
    if (std::optional<Session> session = parse_session(result.body)) {
      enter_session(std::move(*session));
      return;
    }
  }
  state_.screen = Screen::login;
  if (result.status == 401) return;  // not signed in: the plain login screen
  restore_unreachable_ = true;
  state_.login.error = api::unreachable_message(result);
}

void Actions::set_login_username(std::string username) { state_.login.username = std::move(username); }
void Actions::set_login_password(std::string password) { state_.login.password = std::move(password); }

void Actions::submit_login() {
  LoginForm& login = state_.login;
  if (login.busy || state_.session) return;
  if (login.username.empty() || login.password.empty()) {
    login.error = "Enter your username and password.";
    return;
  }
  login.busy = true;
  login.error.clear();
  login.notice.clear();

  call_api(
      api::request("POST", "/api/session", json{{"username", login.username}, {"password", login.password}}.dump()),
      [this](FetchResult&& result) { on_login_result(std::move(result)); });
}

void Actions::on_login_result(FetchResult&& result) {
  LoginForm& login = state_.login;
  login.busy = false;
  if (result.ok()) {
    if (std::optional<Session> session = parse_session(result.body)) {
      enter_session(std::move(*session));
      return;
    }
    login.error = "The server sent an answer the app does not understand. Please try again.";
    return;
  }
  switch (result.status) {
    case 401:
      login.error = api::failure_message(result, "Wrong username or password.", api::Fallback::as_is);
      login.password.clear();
      break;
    case 429:
      login.error = api::failure_message(result, "Too many sign-in attempts. Please wait a few minutes and try again.",
                                         api::Fallback::as_is);
      break;
    default:
      login.error = api::failure_message(result, "Signing in failed.");
      break;
  }
}

void Actions::sign_out() {
  if (!state_.session) return;
  FetchRequest request = api::request("DELETE", "/api/session");
  request.csrf_token = state_.session->csrf_token;
  // The answer does not matter: locally the session is over at once.
  fetch_(std::move(request), [](FetchResult&&) {});
  leave_session("You have signed out.");
}

void Actions::enter_session(Session session) {
  ++epoch_;
  const bool permitted = session.has(permission_send_invites);
  state_.session = std::move(session);
  state_.screen = Screen::main;
  state_.login.busy = false;
  state_.login.password.clear();
  state_.login.error.clear();
  state_.login.notice.clear();
  restore_unreachable_ = false;
  reset_workspace();
  if (permitted) load_lookups();
}

void Actions::leave_session(std::string notice) {
  ++epoch_;
  if (state_.session && state_.login.username.empty()) state_.login.username = state_.session->user.username;
  state_.session.reset();
  state_.screen = Screen::login;
  state_.login.busy = false;
  state_.login.password.clear();
  state_.login.error.clear();
  state_.login.notice = std::move(notice);
  restoring_ = false;
  reset_workspace();
}

void Actions::reset_workspace() {
  state_.lookups = Lookups{};
  state_.form = InviteForm{};
  state_.preview = Preview{};
  state_.selected_group.reset();
  state_.recipients = RecipientTable{};
  sending_.reset();
  setup_.reset();
  suppressions_.reset();
}

// --- the offline copy ----------------------------------------------------------

void Actions::refresh_offline_copy() {
  if (offline_) offline_->refresh();
}

void Actions::preview_offline(bool on) {
  if (offline_) offline_->preview_offline(on);
}

// --- lookups ---------------------------------------------------------------------

void Actions::load_lookups() {
  if (!state_.session || state_.lookups.status == LoadStatus::loading) return;
  state_.lookups.status = LoadStatus::loading;
  state_.lookups.error.clear();
  call_api(api::request("GET", "/api/lookups"), [this](FetchResult&& result) { on_lookups_result(std::move(result)); });
}

void Actions::on_lookups_result(FetchResult&& result) {
  Lookups& lookups = state_.lookups;
  if (!result.ok()) {
    lookups.status = LoadStatus::failed;
    lookups.error = api::failure_message(result, "The lists could not be loaded.");
    return;
  }
  const std::optional<json> doc = api::parse(result.body);
  Lookups parsed;
  const bool good = doc && doc->is_object() && parse_items(*doc, "divisions", true, parsed.divisions) &&
                    parse_items(*doc, "account_classes", true, parsed.account_classes) &&
                    parse_items(*doc, "bill_groups", true, parsed.bill_groups) &&
                    parse_items(*doc, "account_sources", true, parsed.account_sources) &&
                    parse_items(*doc, "site_sources", true, parsed.site_sources) &&
                    parse_items(*doc, "templates", false, parsed.templates);
  if (!good) {
    lookups.status = LoadStatus::failed;
    lookups.error = "The server sent lists the app does not understand.";
    return;
  }
  parsed.status = LoadStatus::loaded;
  lookups = std::move(parsed);
  if (!lookups.templates.empty() && !state_.form.template_id) state_.form.template_id = lookups.templates.front().id;
  prefill_email_from();
  sending_.lookups_loaded();
}

// --- the form ---------------------------------------------------------------------

void Actions::select_all(ListKind list) {
  ids_of(state_.form.filter, list).clear();
  if (list == ListKind::division) prefill_email_from();
}

void Actions::set_selected(ListKind list, Id id, bool selected) {
  std::vector<Id>& ids = ids_of(state_.form.filter, list);
  const auto at = std::lower_bound(ids.begin(), ids.end(), id);
  const bool present = at != ids.end() && *at == id;
  if (selected && !present) ids.insert(at, id);
  if (!selected && present) ids.erase(at);
  if (list == ListKind::division) prefill_email_from();
}

void Actions::set_flag(FlagKind flag, bool on) { flag_of(state_.form.filter, flag) = on; }

void Actions::set_email_from(std::string text) {
  state_.form.email_from = std::move(text);
  // Clearing the field hands it back to the division default (at the next division change).
  state_.form.email_from_typed = !state_.form.email_from.empty();
}

void Actions::set_template(std::optional<Id> template_id) { state_.form.template_id = template_id; }

// Email From follows the selected division's default address (the one address
// all selected divisions share) until the user types their own.
void Actions::prefill_email_from() {
  InviteForm& form = state_.form;
  if (form.email_from_typed) return;
  std::optional<std::string> shared;
  bool conflict = form.filter.division_ids.empty();
  for (const Id id : form.filter.division_ids) {
    const auto& divisions = state_.lookups.divisions;
    const auto it = std::find_if(divisions.begin(), divisions.end(), [id](const LookupItem& d) { return d.id == id; });
    const std::optional<std::string> from = it == divisions.end() ? std::nullopt : it->default_from_email;
    if (!from || (shared && *shared != *from)) {
      conflict = true;
      break;
    }
    shared = from;
  }
  form.email_from = conflict || !shared ? std::string() : *shared;
}

// --- Load ---------------------------------------------------------------------------

void Actions::load_preview() {
  if (!can_load(state_)) return;
  Preview& preview = state_.preview;
  preview.status = LoadStatus::loading;
  preview.error_code.clear();
  preview.error_message.clear();
  preview.error_field.clear();

  Filter sent = state_.form.filter;
  FetchRequest request =
      api::request("POST", "/api/previews", json{{"filter", filter_to_json(sent)}}.dump(), preview_timeout_ms);
  call_api(std::move(request),
           [this, sent = std::move(sent)](FetchResult&& result) { on_preview_result(std::move(result), sent); });
}

void Actions::on_preview_result(FetchResult&& result, const Filter& sent) {
  Preview& preview = state_.preview;
  if (result.ok()) {
    const std::optional<json> doc = api::parse(result.body);
    const std::optional<Counts> counts = doc && doc->is_object() ? api::counts_member(*doc, "counts") : std::nullopt;
    if (counts) {
      preview.status = LoadStatus::loaded;
      preview.has_result = true;
      preview.loaded_filter = sent;
      preview.counts = *counts;
      preview.preview_id = api::str(*doc, "preview_id");
      preview.digest = api::str(*doc, "digest");
      preview.generated_at = api::str(*doc, "generated_at");
      state_.selected_group.reset();
      state_.recipients = RecipientTable{};  // the old list belongs to the old preview
      return;
    }
    preview.status = LoadStatus::failed;
    preview.error_message = "The server sent counts the app does not understand.";
    return;
  }
  const api::Error error = api::error_of(result);
  preview.status = LoadStatus::failed;
  preview.error_code = error.code;
  preview.error_field = error.field;
  if (result.status == 403 && error.message.empty() && !error.code.empty()) {
    preview.error_message = "Your account lacks permission 390 'Send Account Portal Invitations'.";
  } else if (result.status == 503 && error.code == "snapshot_loading" && error.message.empty()) {
    preview.error_message = "The server is still preparing its data. Press Load again in a moment.";
  } else {
    preview.error_message = api::failure_message(result, "Load failed.");
  }
}

void Actions::select_group(Group group) {
  if (!state_.preview.has_result || !is_mailed(group)) return;
  open_recipients(count_group_of(group));
}

// --- the recipient list ------------------------------------------------------------

namespace {

std::optional<RecipientEntry> parse_recipient(const json& row) {
  if (!row.is_object()) return std::nullopt;
  RecipientEntry entry;
  entry.email = api::str(row, "email");
  entry.first_name = api::str(row, "first_name");
  entry.last_name = api::str(row, "last_name");
  entry.account_number = api::str(row, "account_number");
  entry.account_name = api::str(row, "account_name");
  const auto id = row.find("contact_id");
  if (id != row.end() && id->is_number_unsigned()) entry.contact_id = id->get<std::uint64_t>();
  entry.last_invited_at = api::str(row, "last_invited_at");
  return entry;
}

}  // namespace

void Actions::open_recipients(CountGroup group) {
  if (!state_.preview.has_result || state_.preview.preview_id.empty()) return;
  state_.selected_group = is_mailed(group) ? recipient_group_of(group) : std::nullopt;
  RecipientTable& table = state_.recipients;
  if (table.open && table.group == group && table.preview_id == state_.preview.preview_id) return;
  const bool keep_order = table.open;  // switching groups keeps the search and order
  table.open = true;
  table.group = group;
  table.preview_id = state_.preview.preview_id;
  if (!keep_order) {
    table.query.clear();
    table.sort = SortColumn::email;
    table.descending = false;
  }
  restart_recipients();
}

void Actions::close_recipients() {
  state_.recipients = RecipientTable{};
  state_.selected_group.reset();
}

void Actions::set_recipient_search(std::string text) {
  RecipientTable& table = state_.recipients;
  if (!table.open || table.query == text) return;
  table.query = std::move(text);
  restart_recipients();
}

void Actions::set_recipient_sort(SortColumn column, bool descending) {
  RecipientTable& table = state_.recipients;
  if (!table.open || (table.sort == column && table.descending == descending)) return;
  table.sort = column;
  table.descending = descending;
  restart_recipients();
}

void Actions::reload_recipients() {
  if (state_.recipients.open) restart_recipients();
}

void Actions::restart_recipients() {
  RecipientTable& table = state_.recipients;
  table.generation = ++recipient_generation_;
  table.blocks.clear();
  table.has_total = false;
  table.total = 0;
  table.error.clear();
  table.status = LoadStatus::loading;
  for (const std::size_t block : table.blocks.blocks_to_fetch(0, 0)) fetch_recipient_block(block);
}

void Actions::need_recipient_rows(std::size_t first, std::size_t last) {
  RecipientTable& table = state_.recipients;
  if (!table.open || !table.has_total || table.status == LoadStatus::failed || preview_stale(state_) ||
      state_.preview.status == LoadStatus::loading)
    return;
  if (table.total == 0 || first > last) return;
  last = std::min<std::size_t>(last, static_cast<std::size_t>(table.total - 1));
  if (first > last) return;
  for (const std::size_t block : table.blocks.blocks_to_fetch(first, last)) fetch_recipient_block(block);
}

void Actions::fetch_recipient_block(std::size_t block) {
  const RecipientTable& table = state_.recipients;
  const std::uint64_t generation = table.generation;
  call_api(
      api::request("GET", recipients_url(table, block * recipient_block_rows, recipient_block_rows)),
      [this, generation, block](FetchResult&& result) { on_recipient_block(std::move(result), generation, block); });
}

void Actions::on_recipient_block(FetchResult&& result, std::uint64_t generation, std::size_t block) {
  RecipientTable& table = state_.recipients;
  if (!table.open || table.generation != generation) return;  // closed, or another query since
  if (result.ok()) {
    const std::optional<json> doc = api::parse(result.body);
    if (doc && doc->is_object()) {
      const auto total = doc->find("total");
      const auto rows = doc->find("rows");
      if (total != doc->end() && total->is_number_unsigned() && rows != doc->end() && rows->is_array()) {
        std::vector<RecipientEntry> loaded;
        for (const json& row : *rows)
          if (std::optional<RecipientEntry> entry = parse_recipient(row)) loaded.push_back(std::move(*entry));
        table.blocks.arrived(block, table.blocks.version(), std::move(loaded));
        table.total = total->get<std::uint64_t>();
        table.has_total = true;
        table.status = LoadStatus::loaded;
        return;
      }
    }
    table.blocks.failed(block);
    table.status = LoadStatus::failed;
    table.error = "The server sent recipients the app does not understand.";
    return;
  }
  table.blocks.failed(block);
  table.status = LoadStatus::failed;
  table.error = api::failure_message(result, "The recipients could not be loaded.");
}

void Actions::download_recipients_csv() {
  const RecipientTable& table = state_.recipients;
  if (!table.open || !open_url_ || preview_stale(state_)) return;
  open_url_(recipients_csv_url(table));
}

}  // namespace invites::app
