// The browser app's actions (frontend/app/) against a fake Fetcher: the
// requests they send (method, URL, CSRF header, body) and how the answers
// change State.
#include "app/actions.hpp"
#include "app/state.hpp"
#include "fake_server.hpp"

#include <catch2/catch.hpp>
#include <invites/filter.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <string>
#include <utility>

using namespace invites;
using namespace invites::app;
using namespace invites::app::testing;
using nlohmann::json;

namespace {

json session_body(std::vector<int> permissions = {390, 120}) {
  return {{"user", {{"id", 7}, {"username", "alice"}}}, {"permissions", permissions}, {"csrf_token", "tok-123"}};
}

json error_body(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

json lookups_body(bool with_templates = false) {
  json body = {
      {"divisions",
       {{{"id", 1}, {"name", "North"}, {"default_from_email", "north@hauler.example"}},
        {{"id", 2}, {"name", "South"}, {"default_from_email", nullptr}},
        {{"id", 3}, {"name", "East"}, {"default_from_email", "north@hauler.example"}}}},
      {"account_classes", {{{"id", 1}, {"name", "Residential"}}, {{"id", 2}, {"name", "Commercial"}}}},
      {"bill_groups", {{{"id", 4}, {"name", "Cycle A"}}}},
      {"account_sources", {{{"id", 5}, {"name", "Web"}}}},
      {"site_sources", {{{"id", 6}, {"name", "Import"}}, {{"id", 9}, {"name", "Manual"}}}},
  };
  if (with_templates) body["templates"] = {{{"id", 11}, {"name", "Standard invitation"}}};
  return body;
}

json preview_body(std::uint64_t new_users = 120, std::uint64_t pending = 30) {
  return {{"preview_id", "p-1"},
          {"counts",
           {{"new_users", new_users},
            {"pending_invites", pending},
            {"skipped_invalid_email", 4},
            {"excluded_existing", 9},
            {"skipped_suppressed", 2}}},
          {"digest", "xxh128:00112233445566778899aabbccddeeff"},
          {"generated_at", "2026-11-26T12:30:00Z"},
          {"snapshot_age_seconds", 90}};
}

// A recipients answer: `count` rows starting at `first`, out of `total`.
json recipients_body(std::uint64_t total, std::size_t first, std::size_t count) {
  json rows = json::array();
  for (std::size_t i = first; i < first + count; ++i)
    rows.push_back({{"email", "r" + std::to_string(i) + "@example.com"},
                    {"first_name", "First"},
                    {"last_name", "Last" + std::to_string(i)},
                    {"account_number", "A-" + std::to_string(i)},
                    {"account_name", "Account " + std::to_string(i)},
                    {"contact_id", 1000 + i},
                    {"last_invited_at", i % 2 ? json("2026-10-01T08:00:00Z") : json(nullptr)}});
  return {{"total", total}, {"rows", rows}};
}

// The GET URLs still waiting for an answer.
std::vector<std::string> pending_urls(const FakeServer& server) {
  std::vector<std::string> urls;
  for (const FakeServer::Pending& p : server.pending) urls.push_back(p.request.url);
  return urls;
}

struct Fixture {
  FakeServer server;
  State state;
  std::vector<std::string> opened;  // URLs handed to the platform's download
  Actions actions{state, server.fetcher(), [this](const std::string& url) { opened.push_back(url); }};

  // Started, no session: the login screen.
  void start_signed_out() {
    actions.start();
    server.respond("GET", "/healthz", 200, std::string("ok"));
    server.respond("GET", "/api/me", 401, error_body("unauthenticated", "Not signed in."));
  }

  // Started and signed in with lookups loaded.
  void start_signed_in(std::vector<int> permissions = {390, 120}, bool with_templates = false) {
    actions.start();
    server.respond("GET", "/healthz", 200, std::string("ok"));
    server.respond("GET", "/api/me", 200, session_body(permissions));
    // The lists feed the form, which only permission 390 gets.
    if (std::find(permissions.begin(), permissions.end(), 390) == permissions.end()) return;
    REQUIRE(server.has_pending("GET", "/api/lookups"));
    server.respond("GET", "/api/lookups", 200, lookups_body(with_templates));
  }

  void load_ok(json body = preview_body()) {
    actions.load_preview();
    server.respond("POST", "/api/previews", 200, body);
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "start: no session shows the login screen", "[frontend][session]") {
  actions.start();
  CHECK(state.screen == Screen::starting);
  CHECK(state.server.status == ServerStatus::checking);
  server.respond("GET", "/healthz", 200, std::string("ok"));
  server.respond("GET", "/api/me", 401, error_body("unauthenticated", "Not signed in."));
  CHECK(state.screen == Screen::login);
  CHECK(state.login.error.empty());
  CHECK(state.login.notice.empty());
  CHECK_FALSE(state.session);
}

TEST_CASE_METHOD(Fixture, "start: GET /api/me restores the session after a reload", "[frontend][session]") {
  start_signed_in();
  REQUIRE(state.session);
  CHECK(state.screen == Screen::main);
  CHECK(state.session->user.username == "alice");
  CHECK(state.session->user.id == 7);
  CHECK(state.session->csrf_token == "tok-123");
  CHECK(state.lookups.status == LoadStatus::loaded);
  CHECK(state.lookups.divisions.size() == 3);
}

TEST_CASE_METHOD(Fixture, "start: without an API the login screen says the server is unreachable",
                 "[frontend][session]") {
  actions.start();
  server.respond("GET", "/healthz", 404, std::string("not found"));
  server.respond("GET", "/api/me", 404, std::string("not found"));
  CHECK(state.screen == Screen::login);
  CHECK(state.server.status == ServerStatus::unreachable);
  CHECK(state.login.error == "Server unreachable: HTTP 404");

  SECTION("Retry checks the server and tries to restore the session again") {
    actions.retry_server_check();
    CHECK(server.has_pending("GET", "/healthz"));
    CHECK(server.has_pending("GET", "/api/me"));
    server.respond("GET", "/healthz", 200, std::string("ok"));
    server.respond("GET", "/api/me", 200, session_body());
    CHECK(state.screen == Screen::main);
  }
}

TEST_CASE_METHOD(Fixture, "login success", "[frontend][login]") {
  start_signed_out();
  actions.set_login_username("alice");
  actions.set_login_password("s3cret pass");
  actions.submit_login();
  CHECK(state.login.busy);
  actions.submit_login();  // the button is disabled: a second submit sends nothing
  const FetchRequest sent = server.respond("POST", "/api/session", 200, session_body());
  CHECK(json::parse(sent.body) == json{{"username", "alice"}, {"password", "s3cret pass"}});
  CHECK(sent.content_type == "application/json");
  CHECK_FALSE(state.login.busy);
  CHECK(state.screen == Screen::main);
  CHECK(state.login.password.empty());
  CHECK(can_use_invites(state));
  CHECK(server.has_pending("GET", "/api/lookups"));
  int logins = 0;
  for (const FetchRequest& r : server.log) logins += r.url == "/api/session";
  CHECK(logins == 1);
}

TEST_CASE_METHOD(Fixture, "login failure shows the server's message", "[frontend][login]") {
  start_signed_out();
  actions.set_login_username("alice");
  actions.set_login_password("wrong");
  actions.submit_login();
  server.respond("POST", "/api/session", 401, error_body("invalid_credentials", "Invalid username or password."));
  CHECK(state.screen == Screen::login);
  CHECK_FALSE(state.login.busy);
  CHECK(state.login.error == "Invalid username or password.");
  CHECK_FALSE(state.session);
  CHECK(state.login.notice.empty());  // a failed login is not an expired session
}

TEST_CASE_METHOD(Fixture, "login throttled (429) shows the server's message", "[frontend][login]") {
  start_signed_out();
  actions.set_login_username("alice");
  actions.set_login_password("wrong");
  actions.submit_login();
  server.respond("POST", "/api/session", 429,
                 error_body("too_many_attempts", "Too many attempts. Try again in 5 minutes."));
  CHECK(state.login.error == "Too many attempts. Try again in 5 minutes.");
  CHECK_FALSE(state.login.busy);

  SECTION("without a message a readable default is shown") {
    actions.submit_login();
    server.respond("POST", "/api/session", 429, json{{"error", {{"code", "too_many_attempts"}}}});
    CHECK(state.login.error == "Too many sign-in attempts. Please wait a few minutes and try again.");
  }
}

TEST_CASE_METHOD(Fixture, "login with the server unreachable", "[frontend][login]") {
  start_signed_out();
  actions.set_login_username("alice");
  actions.set_login_password("pw");
  actions.submit_login();
  server.respond("POST", "/api/session", 0, std::string());
  CHECK(state.login.error == "Server unreachable: network error (Failed to fetch)");
  CHECK_FALSE(state.login.busy);
}

TEST_CASE_METHOD(Fixture, "login needs a username and a password", "[frontend][login]") {
  start_signed_out();
  actions.set_login_username("alice");
  actions.submit_login();
  CHECK_FALSE(server.has_pending("POST", "/api/session"));
  CHECK(state.login.error == "Enter your username and password.");
}

TEST_CASE_METHOD(Fixture, "without permission 390 the form is not offered", "[frontend][session]") {
  start_signed_in({120});
  CHECK(state.screen == Screen::main);
  CHECK_FALSE(can_use_invites(state));
  CHECK_FALSE(server.has_pending("GET", "/api/lookups"));
  CHECK_FALSE(can_load(state));
  actions.load_preview();
  CHECK_FALSE(server.has_pending("POST", "/api/previews"));
}

TEST_CASE_METHOD(Fixture, "sign out sends DELETE /api/session with the CSRF token", "[frontend][session]") {
  start_signed_in();
  actions.sign_out();
  REQUIRE(server.has_pending("DELETE", "/api/session"));
  const FetchRequest sent = server.respond("DELETE", "/api/session", 204, std::string());
  CHECK(sent.csrf_token == "tok-123");
  CHECK(state.screen == Screen::login);
  CHECK_FALSE(state.session);
  CHECK(state.login.username == "alice");
  CHECK(state.form.filter == Filter{});
  CHECK_FALSE(state.preview.has_result);
}

TEST_CASE_METHOD(Fixture, "every non-GET call carries X-CSRF-Token, GETs do not need it", "[frontend][session]") {
  start_signed_in();
  actions.load_preview();
  server.respond("POST", "/api/previews", 200, preview_body());
  // Every request so far, as "METHOD url [token]".
  std::vector<std::string> sent;
  for (const FetchRequest& r : server.log) sent.push_back(r.method + " " + r.url + " [" + r.csrf_token + "]");
  CHECK(sent == std::vector<std::string>{"GET /healthz []", "GET /api/me []", "GET /api/lookups []",
                                         "POST /api/previews [tok-123]"});
}

TEST_CASE_METHOD(Fixture, "401 during Load: back to login with the expiry message", "[frontend][session]") {
  start_signed_in();
  actions.set_selected(ListKind::division, 1, true);
  actions.load_preview();
  server.respond("POST", "/api/previews", 401, error_body("unauthenticated", "Session expired."));
  CHECK(state.screen == Screen::login);
  CHECK_FALSE(state.session);
  CHECK(state.login.notice == "Your session has expired. Please sign in again.");
  CHECK(state.login.error.empty());
  CHECK(state.form.filter == Filter{});

  SECTION("signing in again starts fresh") {
    actions.set_login_password("pw");
    actions.submit_login();
    server.respond("POST", "/api/session", 200, session_body());
    CHECK(state.screen == Screen::main);
    CHECK(state.login.notice.empty());
  }
}

TEST_CASE_METHOD(Fixture, "401 while loading the lists also ends the session", "[frontend][session]") {
  actions.start();
  server.respond("GET", "/api/me", 200, session_body());
  server.respond("GET", "/api/lookups", 401, error_body("unauthenticated", "Session expired."));
  CHECK(state.screen == Screen::login);
  CHECK(state.login.notice == session_expired_message);
}

TEST_CASE_METHOD(Fixture, "answers that arrive after sign-out are dropped", "[frontend][session]") {
  start_signed_in();
  actions.load_preview();
  actions.sign_out();
  server.respond("POST", "/api/previews", 200, preview_body());
  CHECK(state.screen == Screen::login);
  CHECK_FALSE(state.preview.has_result);
}

TEST_CASE_METHOD(Fixture, "Load sends the filter on screen as the request body", "[frontend][load]") {
  start_signed_in();
  actions.set_selected(ListKind::division, 3, true);
  actions.set_selected(ListKind::division, 1, true);
  actions.set_selected(ListKind::account_class, 2, true);
  actions.set_selected(ListKind::site_source, 9, true);
  actions.set_selected(ListKind::site_source, 6, true);
  actions.set_selected(ListKind::site_source, 9, false);
  actions.set_flag(FlagKind::balance_due, true);
  actions.set_flag(FlagKind::without_autopay, true);
  actions.load_preview();
  CHECK(state.preview.status == LoadStatus::loading);
  CHECK_FALSE(can_load(state));
  const FetchRequest sent = server.respond("POST", "/api/previews", 200, preview_body());

  const json expected = json::parse(R"({"filter":{
      "division_ids":[1,3], "account_class_ids":[2], "bill_group_ids":[], "account_source_ids":[],
      "site_source_ids":[6], "active_service_only":false, "balance_due_only":true,
      "billing_contacts_only":false, "without_autopay_only":true}})");
  CHECK(json::parse(sent.body) == expected);
  Filter filter;
  filter.division_ids = {1, 3};
  filter.account_class_ids = {2};
  filter.site_source_ids = {6};
  filter.balance_due_only = true;
  filter.without_autopay_only = true;
  CHECK(json::parse(sent.body) == json{{"filter", filter_to_json(filter)}});
  CHECK(parse_filter(json::parse(sent.body)["filter"].dump()) == filter);
}

TEST_CASE_METHOD(Fixture, "Load applies the counts, digest and data age", "[frontend][load]") {
  start_signed_in();
  load_ok();
  const Preview& p = state.preview;
  CHECK(p.status == LoadStatus::loaded);
  CHECK(p.has_result);
  CHECK(p.preview_id == "p-1");
  CHECK(p.counts.new_users == 120);
  CHECK(p.counts.pending_invites == 30);
  CHECK(p.counts.skipped_invalid_email == 4);
  CHECK(p.counts.excluded_existing == 9);
  CHECK(p.counts.skipped_suppressed == 2);
  CHECK(p.digest == "xxh128:00112233445566778899aabbccddeeff");
  CHECK(data_as_of(p) == "2026-11-26 12:30:00 UTC");
  CHECK_FALSE(preview_stale(state));

  SECTION("the count links select a group") {
    actions.select_group(Group::pending_invites);
    CHECK(state.selected_group == Group::pending_invites);
    actions.select_group(Group::excluded_existing);  // not a link
    CHECK(state.selected_group == Group::pending_invites);
  }
}

TEST_CASE_METHOD(Fixture, "a filter change marks the result stale and disables Send until Load", "[frontend][load]") {
  start_signed_in();
  actions.set_email_from("ops@hauler.example");
  CHECK_FALSE(can_send(state));  // nothing loaded yet
  load_ok();
  CHECK(can_send(state));

  SECTION("a list change") { actions.set_selected(ListKind::bill_group, 4, true); }
  SECTION("a flag change") { actions.set_flag(FlagKind::active_service, true); }
  SECTION("All after a selection") {
    actions.set_selected(ListKind::division, 2, true);
    load_ok();
    CHECK_FALSE(preview_stale(state));
    actions.select_all(ListKind::division);
  }
  CHECK(preview_stale(state));
  CHECK_FALSE(can_send(state));
  CHECK(can_load(state));
  CHECK(state.preview.has_result);  // still shown, greyed

  load_ok(preview_body(5, 6));
  CHECK_FALSE(preview_stale(state));
  CHECK(can_send(state));
  CHECK(state.preview.counts.new_users == 5);
}

TEST_CASE_METHOD(Fixture, "a change while Load runs leaves the new result stale", "[frontend][load]") {
  start_signed_in();
  actions.load_preview();
  actions.set_flag(FlagKind::billing_contacts, true);
  server.respond("POST", "/api/previews", 200, preview_body());
  CHECK(state.preview.has_result);
  CHECK(preview_stale(state));
}

TEST_CASE_METHOD(Fixture, "Email From and template fields do not make the result stale", "[frontend][load]") {
  start_signed_in({390}, true);
  load_ok();
  actions.set_email_from("someone@hauler.example");
  actions.set_template(11);
  CHECK_FALSE(preview_stale(state));
}

TEST_CASE_METHOD(Fixture, "Load errors are shown with their message and field", "[frontend][load]") {
  start_signed_in();
  actions.load_preview();
  server.respond(
      "POST", "/api/previews", 400,
      json{{"error", {{"code", "invalid_filter"}, {"message", "unknown id 99"}, {"field", "division_ids[0]"}}}});
  CHECK(state.preview.status == LoadStatus::failed);
  CHECK(state.preview.error_message == "unknown id 99");
  CHECK(state.preview.error_field == "division_ids[0]");
  CHECK(state.screen == Screen::main);

  SECTION("503 while the server builds its index") {
    actions.load_preview();
    server.respond("POST", "/api/previews", 503, error_body("snapshot_loading", "The data index is loading."));
    CHECK(state.preview.error_code == "snapshot_loading");
    CHECK(state.preview.error_message == "The data index is loading.");
    CHECK(state.preview.error_field.empty());
  }
  SECTION("403 without permission") {
    actions.load_preview();
    server.respond("POST", "/api/previews", 403, error_body("forbidden", "Permission 390 required."));
    CHECK(state.preview.error_message == "Permission 390 required.");
    CHECK(state.screen == Screen::main);
  }
  SECTION("no answer") {
    actions.load_preview();
    server.respond("POST", "/api/previews", 0, std::string());
    CHECK(state.preview.error_message == "Server unreachable: network error (Failed to fetch)");
  }
}

TEST_CASE_METHOD(Fixture, "Email From follows the selected division until the user types", "[frontend][email]") {
  start_signed_in();
  CHECK(state.form.email_from.empty());  // All divisions: no single default

  actions.set_selected(ListKind::division, 1, true);
  CHECK(state.form.email_from == "north@hauler.example");
  CHECK(email_from_problem(state.form).empty());

  actions.set_selected(ListKind::division, 3, true);  // same address: kept
  CHECK(state.form.email_from == "north@hauler.example");
  actions.set_selected(ListKind::division, 2, true);  // no default: cleared
  CHECK(state.form.email_from.empty());
  actions.select_all(ListKind::division);
  actions.set_selected(ListKind::division, 2, true);
  CHECK(state.form.email_from.empty());

  SECTION("a typed address is kept when the division changes") {
    actions.set_email_from("Billing@Hauler.example ");
    actions.select_all(ListKind::division);
    actions.set_selected(ListKind::division, 1, true);
    CHECK(state.form.email_from == "Billing@Hauler.example ");
    CHECK(email_from_problem(state.form).empty());  // valid after normalization

    SECTION("clearing the field hands it back to the division default") {
      actions.set_email_from("");
      actions.select_all(ListKind::division);
      actions.set_selected(ListKind::division, 1, true);
      CHECK(state.form.email_from == "north@hauler.example");
    }
  }
}

TEST_CASE("Email From is validated with the common email rule", "[frontend][email]") {
  InviteForm form;
  CHECK(email_from_problem(form).empty());
  for (const char* bad :
       {"billing", "billing@", "a@b", "a..b@hauler.example", "x@hauler.c0m", "\"q\"@hauler.example"}) {
    form.email_from = bad;
    CHECK(email_from_problem(form) == "Enter a valid email address");
  }
  form.email_from = "  Ops.Team+invites@Hauler.example\t";
  CHECK(email_from_problem(form).empty());
}

TEST_CASE_METHOD(Fixture, "templates from lookups", "[frontend][lookups]") {
  SECTION("present: the first one is preselected") {
    start_signed_in({390}, true);
    REQUIRE(state.lookups.templates.size() == 1);
    CHECK(state.form.template_id == Id{11});
  }
  SECTION("absent: none") {
    start_signed_in({390}, false);
    CHECK(state.lookups.templates.empty());
    CHECK_FALSE(state.form.template_id);
  }
}

TEST_CASE_METHOD(Fixture, "a lookups failure is shown and can be retried", "[frontend][lookups]") {
  actions.start();
  server.respond("GET", "/api/me", 200, session_body());
  server.respond("GET", "/api/lookups", 500, error_body("internal", "Database unavailable."));
  CHECK(state.lookups.status == LoadStatus::failed);
  CHECK(state.lookups.error == "Database unavailable.");
  CHECK_FALSE(can_load(state));
  actions.load_lookups();
  server.respond("GET", "/api/lookups", 200, lookups_body());
  CHECK(state.lookups.status == LoadStatus::loaded);
  CHECK(can_load(state));
}

TEST_CASE("selection summary of a multi-select", "[frontend][form]") {
  const std::vector<LookupItem> items{{1, "North", {}}, {2, "South", {}}, {3, "East", {}}};
  CHECK(selection_summary(items, {}) == "All");
  CHECK(selection_summary(items, {2}) == "South");
  CHECK(selection_summary(items, {1, 3}) == "2 selected");
}

// The server's generated_at is when its snapshot was read from the database
// (snapshot_age_seconds is how long ago that was): the data is as of then.
// Subtracting the age as well put "data as of" that much too early.
TEST_CASE("data as of: the snapshot's generated_at, not moved back by its age", "[frontend][load]") {
  Preview p;
  p.generated_at = "2026-01-01T00:00:30.123Z";
  CHECK(data_as_of(p) == "2026-01-01 00:00:30 UTC");
  p.generated_at = "yesterday";
  CHECK(data_as_of(p) == "yesterday");
}

// --- the recipient review ---------------------------------------------------------

namespace {
const std::string first_new_users =
    "/api/previews/p-1/recipients?group=new_users&sort=email&order=asc&offset=0&limit=200";
}

TEST_CASE_METHOD(Fixture, "opening a group requests its first block", "[frontend][recipients]") {
  start_signed_in();
  actions.open_recipients(CountGroup::new_users);  // nothing loaded yet: no list
  CHECK_FALSE(state.recipients.open);
  load_ok(preview_body(1000, 30));

  actions.select_group(Group::new_users);  // the count link
  const RecipientTable& t = state.recipients;
  CHECK(t.open);
  CHECK(t.group == CountGroup::new_users);
  CHECK(state.selected_group == Group::new_users);
  CHECK(t.status == LoadStatus::loading);
  CHECK_FALSE(t.has_total);
  REQUIRE(pending_urls(server) == std::vector<std::string>{first_new_users});
  server.respond("GET", first_new_users, 200, recipients_body(1000, 0, 200));
  CHECK(t.status == LoadStatus::loaded);
  CHECK(t.has_total);
  CHECK(t.total == 1000);
  CHECK(t.blocks.loaded_rows() == 200);
  REQUIRE(t.blocks.row(5) != nullptr);
  CHECK(t.blocks.row(5)->email == "r5@example.com");
  CHECK(t.blocks.row(5)->contact_id == 1005);
  CHECK(t.blocks.row(5)->last_invited_at == "2026-10-01T08:00:00Z");
  CHECK(t.blocks.row(4)->last_invited_at.empty());
  CHECK(t.blocks.row(200) == nullptr);

  SECTION("the other links open their groups") {
    actions.open_recipients(CountGroup::skipped_invalid_email);
    CHECK(t.group == CountGroup::skipped_invalid_email);
    CHECK_FALSE(state.selected_group);
    CHECK(server.has_pending(
        "GET", "/api/previews/p-1/recipients?group=skipped_invalid_email&sort=email&order=asc&offset=0&limit=200"));
    actions.open_recipients(CountGroup::excluded_existing);
    CHECK(server.has_pending(
        "GET", "/api/previews/p-1/recipients?group=excluded_existing&sort=email&order=asc&offset=0&limit=200"));
    actions.open_recipients(CountGroup::skipped_suppressed);
    CHECK(t.group == CountGroup::skipped_suppressed);
    CHECK(group_caption(t.group) == std::string("Skipped: bounced or complained"));
    CHECK(server.has_pending(
        "GET", "/api/previews/p-1/recipients?group=skipped_suppressed&sort=email&order=asc&offset=0&limit=200"));
  }
  SECTION("close") {
    actions.close_recipients();
    CHECK_FALSE(t.open);
    CHECK_FALSE(state.selected_group);
  }
}

TEST_CASE_METHOD(Fixture, "need_recipient_rows requests only the missing blocks", "[frontend][recipients]") {
  start_signed_in();
  load_ok(preview_body(100000, 30));
  actions.open_recipients(CountGroup::new_users);
  server.respond("GET", first_new_users, 200, recipients_body(100000, 0, 200));

  actions.need_recipient_rows(0, 40);  // block 0 is here
  CHECK(server.pending.empty());
  actions.need_recipient_rows(180, 230);  // blocks 0 and 1
  REQUIRE(pending_urls(server) ==
          std::vector<std::string>{
              "/api/previews/p-1/recipients?group=new_users&sort=email&order=asc&offset=200&limit=200"});
  actions.need_recipient_rows(190, 240);  // block 1 already in flight
  CHECK(server.pending.size() == 1);
  server.respond("GET", "/api/previews/p-1/recipients?group=new_users&sort=email&order=asc&offset=200&limit=200", 200,
                 recipients_body(100000, 200, 200));
  CHECK(state.recipients.blocks.row(230)->email == "r230@example.com");

  // A jump to the end: only the blocks on screen, clamped to the total.
  actions.need_recipient_rows(99990, 100040);
  CHECK(pending_urls(server) ==
        std::vector<std::string>{
            "/api/previews/p-1/recipients?group=new_users&sort=email&order=asc&offset=99800&limit=200"});
  CHECK(state.recipients.blocks.loaded_rows() == 400);

  SECTION("a failed block shows the error; Try again starts over") {
    server.respond("GET", "/api/previews/p-1/recipients?group=new_users&sort=email&order=asc&offset=99800&limit=200",
                   500, error_body("internal", "Database unavailable"));
    CHECK(state.recipients.status == LoadStatus::failed);
    CHECK(state.recipients.error == "Database unavailable");
    actions.need_recipient_rows(99990, 100040);  // no retry loop
    CHECK(server.pending.empty());
    actions.reload_recipients();
    CHECK(pending_urls(server) == std::vector<std::string>{first_new_users});
  }
}

TEST_CASE_METHOD(Fixture, "sorting and searching restart the list with the new parameters", "[frontend][recipients]") {
  start_signed_in();
  load_ok();
  actions.open_recipients(CountGroup::pending_invites);
  const std::string first =
      "/api/previews/p-1/recipients?group=pending_invites&sort=email&order=asc&offset=0&limit=200";
  server.respond("GET", first, 200, recipients_body(30, 0, 30));
  CHECK(state.recipients.blocks.loaded_rows() == 30);

  actions.set_recipient_sort(SortColumn::last_invited_at, true);
  CHECK(state.recipients.blocks.loaded_rows() == 0);
  CHECK_FALSE(state.recipients.has_total);
  const std::string sorted =
      "/api/previews/p-1/recipients?group=pending_invites&sort=last_invited_at&order=desc&offset=0&limit=200";
  CHECK(pending_urls(server) == std::vector<std::string>{sorted});
  actions.set_recipient_sort(SortColumn::last_invited_at, true);  // unchanged: no request
  CHECK(server.pending.size() == 1);

  actions.set_recipient_search("O'Brien & Co");  // before the sorted answer arrives
  const std::string searched =
      "/api/previews/p-1/recipients?group=pending_invites&q=O%27Brien%20%26%20Co&sort=last_invited_at&order=desc"
      "&offset=0&limit=200";
  CHECK(server.has_pending("GET", searched));
  server.respond("GET", sorted, 200, recipients_body(30, 0, 30));  // stale answer: dropped
  CHECK_FALSE(state.recipients.has_total);
  server.respond("GET", searched, 200, recipients_body(2, 0, 2));
  CHECK(state.recipients.total == 2);
  CHECK(state.recipients.blocks.loaded_rows() == 2);

  SECTION("CSV: the same group, search and order") {
    actions.download_recipients_csv();
    CHECK(opened ==
          std::vector<std::string>{"/api/previews/p-1/recipients.csv?group=pending_invites&q=O%27Brien%20%26%20Co"
                                   "&sort=last_invited_at&order=desc"});
  }
  SECTION("switching groups keeps the search and order") {
    actions.open_recipients(CountGroup::new_users);
    CHECK(server.has_pending("GET",
                             "/api/previews/p-1/recipients?group=new_users&q=O%27Brien%20%26%20Co&sort=last_invited_at"
                             "&order=desc&offset=0&limit=200"));
  }
}

TEST_CASE("recipient URLs encode the search", "[frontend][recipients]") {
  RecipientTable table;
  table.preview_id = "abc";
  table.group = CountGroup::new_users;
  CHECK(recipients_csv_url(table) == "/api/previews/abc/recipients.csv?group=new_users&sort=email&order=asc");
  table.query = "jo+doe@x.com/ü?";
  table.sort = SortColumn::account_number;
  CHECK(
      recipients_csv_url(table) ==
      "/api/previews/abc/recipients.csv?group=new_users&q=jo%2Bdoe%40x.com%2F%C3%BC%3F&sort=account_number&order=asc");
  CHECK(recipients_url(table, 400, 200) ==
        "/api/previews/abc/recipients?group=new_users&q=jo%2Bdoe%40x.com%2F%C3%BC%3F&sort=account_number&order=asc"
        "&offset=400&limit=200");
}

TEST_CASE_METHOD(Fixture, "a new Load, a filter change and a 401 affect the open list", "[frontend][recipients]") {
  start_signed_in();
  load_ok(preview_body(1000, 30));
  actions.open_recipients(CountGroup::new_users);
  server.respond("GET", first_new_users, 200, recipients_body(1000, 0, 200));

  SECTION("filter change: stale, no more fetching, no CSV") {
    actions.set_flag(FlagKind::balance_due, true);
    CHECK(preview_stale(state));
    actions.need_recipient_rows(500, 600);
    CHECK(server.pending.empty());
    actions.download_recipients_csv();
    CHECK(opened.empty());
  }
  SECTION("a new Load closes the old preview's list") {
    json body = preview_body(500, 10);
    body["preview_id"] = "p-2";
    load_ok(body);
    CHECK_FALSE(state.recipients.open);
    CHECK(state.recipients.blocks.loaded_rows() == 0);
  }
  SECTION("401 while scrolling: back to login, list gone") {
    actions.need_recipient_rows(200, 210);
    server.respond("GET", "/api/previews/p-1/recipients?group=new_users&sort=email&order=asc&offset=200&limit=200", 401,
                   error_body("unauthenticated", "Session expired."));
    CHECK(state.screen == Screen::login);
    CHECK(state.login.notice == session_expired_message);
    CHECK_FALSE(state.recipients.open);
  }
}
