// Staff sessions over real HTTP (docs/design.md §5): login, logout, /api/me, CSRF,
// throttling, expiry, cookie flags, TLS, JSON errors of the API; Auth::require
// in-process; and `invites-server user add`.
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include <catch2/catch.hpp>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "db/connection.hpp"
#include "db/connection_pool.hpp"
#include "db/migrations.hpp"
#include "http/api_error.hpp"
#include "http/client_address.hpp"
#include "http/login_throttle.hpp"
#include "http/session_auth.hpp"
#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/staff_users.hpp"
#include "support/test_certificates.hpp"
#include "support/test_database.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

constexpr const char* password = "correct horse battery staple";

std::string single(sql::Connection& connection, const std::string& query) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
  REQUIRE(rows->next());
  return rows->getString(1).asStdString();
}

struct MigratedDatabase {
  invites::testing::TestDatabase database;
  std::unique_ptr<sql::Connection> connection = database.connect();
  MigratedDatabase() { invites::db::migrate(*connection); }
};

// A migrated database with users alice (390, 120) and bob (none), and a server.
struct SessionServer : MigratedDatabase {
  std::uint64_t alice_id = invites::testing::create_staff_user(*connection, "alice", password, {390, 120});
  std::uint64_t bob_id = invites::testing::create_staff_user(*connection, "bob", password, {});
  invites::testing::ServerProcess server;
  httplib::Client client{server.host(), server.port()};

  explicit SessionServer(std::vector<std::string> extra_args = {})
      : server(database.url(), {.web_root = std::nullopt, .extra_args = std::move(extra_args)}) {}

  httplib::Result post_login(const std::string& username, const std::string& secret) {
    return client.Post("/api/session", json{{"username", username}, {"password", secret}}.dump(), "application/json");
  }
};

// `invites-server user add --username NAME --password-stdin EXTRA` with
// stdin_text (printf escapes) on its standard input.
invites::testing::ProcessResult run_user_add(const invites::db::DatabaseUrl& database, const std::string& username,
                                             const std::string& stdin_text, const std::string& extra) {
  const std::string command = "printf '" + stdin_text + "' | '" + invites::testing::invites_server_path() +
                              "' user add --db '" + database.to_string() + "' --username " + username +
                              " --password-stdin" + extra;
  return invites::testing::run_process({"/bin/sh", "-c", command});
}

json body_of(const httplib::Result& response) {
  REQUIRE(response);
  CHECK(response->get_header_value("Content-Type") == "application/json");
  return json::parse(response->body);
}

void check_error(const httplib::Result& response, int status, const std::string& code) {
  REQUIRE(response);
  INFO(response->body);
  CHECK(response->status == status);
  const auto body = body_of(response);
  CHECK(body.at("error").at("code") == code);
  CHECK(body.at("error").at("message").is_string());
}

}  // namespace

TEST_CASE_METHOD(SessionServer, "session: login, /api/me, logout") {
  const auto login = post_login("alice", password);
  REQUIRE(login);
  REQUIRE(login->status == 200);
  const auto body = body_of(login);
  CHECK(body.at("user").at("id") == alice_id);
  CHECK(body.at("user").at("username") == "alice");
  CHECK(body.at("permissions") == json::array({120, 390}));
  const std::string csrf = body.at("csrf_token");
  CHECK(csrf.size() == 64);

  const std::string set_cookie = login->get_header_value("Set-Cookie");
  CHECK_THAT(set_cookie, Contains("invites_session="));
  CHECK_THAT(set_cookie, Contains("; HttpOnly"));
  CHECK_THAT(set_cookie, Contains("; SameSite=Strict"));
  CHECK_THAT(set_cookie, Contains("; Path=/"));
  CHECK_FALSE(set_cookie.find("Secure") != std::string::npos);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string token = cookie.substr(cookie.find('=') + 1);
  CHECK(token.size() == 43);

  // Only the token's hash is stored.
  CHECK(single(*connection, "SELECT COUNT(*) FROM staff_sessions") == "1");
  CHECK(single(*connection, "SELECT LENGTH(token_hash) FROM staff_sessions") == "32");
  CHECK(single(*connection, "SELECT csrf_token FROM staff_sessions") == csrf);

  const auto me = client.Get("/api/me", {{"Cookie", cookie}});
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(body_of(me).at("user").at("username") == "alice");
  CHECK(body_of(me).at("csrf_token") == csrf);
  CHECK(body_of(me).at("permissions") == json::array({120, 390}));

  // The username is case-insensitive.
  CHECK(post_login("ALICE", password)->status == 200);

  const auto logout = client.Delete("/api/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  REQUIRE(logout);
  CHECK(logout->status == 204);
  CHECK_THAT(logout->get_header_value("Set-Cookie"), Contains("invites_session=; Max-Age=0"));
  check_error(client.Get("/api/me", {{"Cookie", cookie}}), 401, "unauthenticated");
  CHECK(single(*connection, "SELECT COUNT(*) FROM staff_sessions") == "1");  // the ALICE one

  CHECK(single(*connection, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.login'") == "2");
  CHECK(single(*connection, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.logout'") == "1");
  CHECK(single(*connection,
               "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%horse%' OR detail LIKE '%" + token + "%'") == "0");
}

TEST_CASE_METHOD(SessionServer, "session: wrong password, unknown and disabled users get the same 401") {
  invites::testing::create_staff_user(*connection, "carol", password, {390}, /*disabled=*/true);
  std::string message;
  for (const auto& [username, secret] :
       {std::pair{"alice", "wrong"}, std::pair{"nobody", password}, std::pair{"carol", password}}) {
    INFO(username);
    const auto response = post_login(username, secret);
    check_error(response, 401, "invalid_credentials");
    CHECK_FALSE(response->has_header("Set-Cookie"));
    const std::string text = body_of(response).at("error").at("message");
    if (message.empty()) message = text;
    CHECK(text == message);
  }
  CHECK(single(*connection, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.login_failed'") == "3");
  CHECK(single(*connection, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%wrong%password%'") == "1");
  CHECK(single(*connection, "SELECT COUNT(*) FROM staff_sessions") == "0");
}

// Behind a trusted reverse proxy (this test's loopback address), which names each client in X-Forwarded-For.
struct ProxiedLoginServer : SessionServer {
  ProxiedLoginServer() : SessionServer({"--trusted-proxy", "127.0.0.1"}) {}
  httplib::Result login_from(const std::string& address, const std::string& username, const std::string& secret) {
    return client.Post("/api/session", {{"X-Forwarded-For", "203.0.113.9, " + address}},
                       json{{"username", username}, {"password", secret}}.dump(), "application/json");
  }
};

TEST_CASE_METHOD(ProxiedLoginServer,
                 "session: 5 failures stop that address guessing the username, the user still signs in elsewhere") {
  for (int i = 0; i < 5; ++i) check_error(login_from("10.0.0.1", "alice", "wrong"), 401, "invalid_credentials");
  const auto locked = login_from("10.0.0.1", "alice", password);  // even the right password, from there
  check_error(locked, 429, "too_many_attempts");
  const int retry_after = std::stoi(locked->get_header_value("Retry-After"));
  CHECK(retry_after > 800);
  CHECK(retry_after <= 900);
  CHECK(login_from("10.0.0.1", "Alice", password)->status == 429);
  CHECK(login_from("10.0.0.1", "bob", password)->status == 200);
  // The real user at another address is not locked out by the guesser.
  CHECK(login_from("10.0.0.2", "alice", password)->status == 200);
  CHECK(single(*connection,
               "SELECT JSON_VALUE(detail, '$.remote') FROM audit_log WHERE action = 'session.login' "
               "ORDER BY id DESC LIMIT 1") == "10.0.0.2");
}

TEST_CASE_METHOD(ProxiedLoginServer, "session: failures from one address do not lock out the others behind it") {
  // An office behind one NAT: 25 failures under many names from its address.
  for (int i = 0; i < 25; ++i) {
    check_error(login_from("10.0.0.1", "guess" + std::to_string(i), "wrong"), 401, "invalid_credentials");
  }
  CHECK(login_from("10.0.0.1", "alice", password)->status == 200);
}

TEST_CASE_METHOD(SessionServer, "session: X-Forwarded-For from a client that is not a trusted proxy is ignored") {
  for (int i = 0; i < 5; ++i) {
    const auto forged = client.Post("/api/session", {{"X-Forwarded-For", "10.9.9." + std::to_string(i)}},
                                    json{{"username", "alice"}, {"password", "wrong"}}.dump(), "application/json");
    check_error(forged, 401, "invalid_credentials");
  }
  check_error(post_login("alice", password), 429, "too_many_attempts");
}

TEST_CASE_METHOD(SessionServer, "session: a success resets the failure count of its username and address") {
  for (int i = 0; i < 4; ++i) check_error(post_login("alice", "wrong"), 401, "invalid_credentials");
  CHECK(post_login("alice", password)->status == 200);
  for (int i = 0; i < 4; ++i) check_error(post_login("alice", "wrong"), 401, "invalid_credentials");
  CHECK(post_login("alice", password)->status == 200);
}

TEST_CASE_METHOD(SessionServer, "session: only the exact username signs in (ASCII case aside), not look-alikes") {
  CHECK(post_login("ALICE", password)->status == 200);
  // The collation folds these into "alice"; each is an unknown user, with no throttling budget of its own.
  for (const std::string look_alike : {"alice ", "alice  ",
                                       "al\xc3\xad"
                                       "ce",
                                       "\xef\xbd\x81"
                                       "lice",
                                       "AL\xc3\x8d"
                                       "CE"}) {
    INFO(look_alike);
    check_error(post_login(look_alike, password), 401, "invalid_credentials");
  }
  CHECK(single(*connection,
               "SELECT COUNT(*) FROM audit_log WHERE action = 'session.login_failed' "
               "AND JSON_VALUE(detail, '$.reason') = 'unknown_user'") == "5");
}

TEST_CASE_METHOD(SessionServer, "session: requests without a valid session are 401 JSON") {
  check_error(client.Get("/api/me"), 401, "unauthenticated");
  check_error(client.Get("/api/me", {{"Cookie", "invites_session=garbage"}}), 401, "unauthenticated");
  check_error(client.Get("/api/me", {{"Cookie", "invites_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}), 401,
              "unauthenticated");
  check_error(client.Delete("/api/session"), 401, "unauthenticated");
}

TEST_CASE_METHOD(SessionServer, "session: DELETE without or with a wrong CSRF token is 403, the session stays") {
  const auto login = invites::testing::login_staff(client, "alice", password);
  check_error(client.Delete("/api/session", login.headers(false)), 403, "csrf");
  check_error(client.Delete("/api/session", {{"Cookie", login.cookie}, {"X-CSRF-Token", std::string(64, 'a')}}), 403,
              "csrf");
  check_error(client.Delete("/api/session", {{"Cookie", login.cookie}, {"X-CSRF-Token", "short"}}), 403, "csrf");
  CHECK(client.Get("/api/me", login.headers(false))->status == 200);
  CHECK(client.Delete("/api/session", login.headers())->status == 204);
}

TEST_CASE_METHOD(SessionServer, "api: malformed bodies are 400, unknown routes 404, big bodies 413, all JSON") {
  check_error(client.Post("/api/session", "{not json", "application/json"), 400, "invalid_json");
  check_error(client.Post("/api/session", "[1,2]", "application/json"), 400, "invalid_json");
  const auto missing = client.Post("/api/session", R"({"password":"x"})", "application/json");
  check_error(missing, 400, "invalid");
  CHECK(body_of(missing).at("error").at("field") == "username");
  check_error(client.Post("/api/session", R"({"username":"a","password":5})", "application/json"), 400, "invalid");

  check_error(client.Get("/api/no-such-thing"), 404, "not_found");
  check_error(client.Post("/api/no-such-thing", "{}", "application/json"), 404, "not_found");
  check_error(client.Delete("/api/nothing/here"), 404, "not_found");

  const std::string big = json{{"username", "alice"}, {"password", std::string(100'000, 'x')}}.dump();
  check_error(client.Post("/api/session", big, "application/json"), 413, "payload_too_large");
  // The server still answers afterwards.
  CHECK(client.Get("/api/me")->status == 401);
}

TEST_CASE_METHOD(SessionServer, "csrf: login needs a JSON body, and every state change a same-origin request") {
  const std::string body = json{{"username", "alice"}, {"password", password}}.dump();
  // A text/plain or form body can be posted from any site without a CORS preflight.
  check_error(client.Post("/api/session", body, "text/plain"), 415, "unsupported_media_type");
  check_error(client.Post("/api/session", "username=alice", "application/x-www-form-urlencoded"), 415,
              "unsupported_media_type");
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"Origin", "http://evil.example"},
           {"Origin", "null"},
           {"Origin", "http://" + server.host() + ":" + std::to_string(server.port() + 1)},
           {"Sec-Fetch-Site", "cross-site"},
           {"Sec-Fetch-Site", "same-site"}}) {
    INFO(name << ": " << value);
    check_error(client.Post("/api/session", {{name, value}}, body, "application/json"), 403, "cross_origin");
  }
  const std::string own_origin = "http://" + server.host() + ":" + std::to_string(server.port());
  const auto from_app = client.Post("/api/session", {{"Origin", own_origin}, {"Sec-Fetch-Site", "same-origin"}}, body,
                                    "application/json");
  REQUIRE(from_app);
  CHECK(from_app->status == 200);
  CHECK(client.Post("/api/session", body, "application/json; charset=utf-8")->status == 200);

  // A valid session and CSRF token do not make a cross-site request acceptable.
  const auto login = invites::testing::login_staff(client, "alice", password);
  auto cross_site = login.headers();
  cross_site.emplace("Origin", "https://evil.example");
  check_error(client.Delete("/api/session", cross_site), 403, "cross_origin");
  CHECK(client.Get("/api/me", login.headers(false))->status == 200);
  // Nor on the invitee's page, which has no session at all.
  check_error(client.Post("/portal/accept", {{"Sec-Fetch-Site", "cross-site"}}, "token=x&password=y",
                          "application/x-www-form-urlencoded"),
              403, "cross_origin");
}

struct ProxiedServer : SessionServer {
  ProxiedServer() : SessionServer({"--base-url", "https://invites.example.com/"}) {}
};

TEST_CASE_METHOD(ProxiedServer, "csrf: behind a proxy that rewrites Host, the --base-url origin is this server") {
  const std::string body = json{{"username", "alice"}, {"password", password}}.dump();
  const auto proxied =
      client.Post("/api/session", {{"Origin", "https://invites.example.com"}}, body, "application/json");
  REQUIRE(proxied);
  CHECK(proxied->status == 200);
  check_error(
      client.Post("/api/session", {{"Origin", "https://invites.example.com.evil.example"}}, body, "application/json"),
      403, "cross_origin");
}

struct ShortIdleServer : SessionServer {
  ShortIdleServer() : SessionServer({"--session-idle-minutes", "1"}) {}
};

TEST_CASE_METHOD(ShortIdleServer, "session: ends after the idle timeout and at its absolute expiry") {
  const auto login = invites::testing::login_staff(client, "alice", password);
  CHECK(client.Get("/api/me", login.headers(false))->status == 200);
  // 50 s ago is within the minute, and a request moves last_seen_at forward.
  invites::db::execute(*connection, "UPDATE staff_sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 50 SECOND");
  CHECK(client.Get("/api/me", login.headers(false))->status == 200);
  CHECK(single(*connection, "SELECT TIMESTAMPDIFF(SECOND, last_seen_at, UTC_TIMESTAMP()) < 5 FROM staff_sessions") ==
        "1");
  invites::db::execute(*connection, "UPDATE staff_sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 61 SECOND");
  check_error(client.Get("/api/me", login.headers(false)), 401, "unauthenticated");

  const auto second = invites::testing::login_staff(client, "alice", password);
  // The expired row was cleaned up by the new login.
  CHECK(single(*connection, "SELECT COUNT(*) FROM staff_sessions") == "1");
  CHECK(single(*connection, "SELECT TIMESTAMPDIFF(HOUR, created_at, expires_at) FROM staff_sessions") == "12");
  CHECK(client.Get("/api/me", second.headers(false))->status == 200);
  invites::db::execute(*connection, "UPDATE staff_sessions SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND");
  check_error(client.Get("/api/me", second.headers(false)), 401, "unauthenticated");
}

TEST_CASE_METHOD(SessionServer, "session: a disabled user's sessions stop working") {
  const auto login = invites::testing::login_staff(client, "bob", password);
  CHECK(client.Get("/api/me", login.headers(false))->status == 200);
  invites::db::execute(*connection, "UPDATE staff_users SET disabled = 1 WHERE username = 'bob'");
  check_error(client.Get("/api/me", login.headers(false)), 401, "unauthenticated");
}

TEST_CASE_METHOD(SessionServer, "user add: replacing a password or a permission ends the user's sessions") {
  const auto first = invites::testing::login_staff(client, "alice", password);
  const auto second = invites::testing::login_staff(client, "alice", password);
  const auto other_user = invites::testing::login_staff(client, "bob", password);

  const auto new_password = run_user_add(database.url(), "alice", "a new long secret\\n", " --grant 390,120");
  INFO(new_password.output);
  REQUIRE(new_password.exit_code == 0);
  CHECK_THAT(new_password.output, Contains("2 session(s) ended"));
  check_error(client.Get("/api/me", first.headers(false)), 401, "unauthenticated");
  check_error(client.Get("/api/me", second.headers(false)), 401, "unauthenticated");
  CHECK(client.Get("/api/me", other_user.headers(false))->status == 200);

  // A session opened after the change lives until the next one, which takes a permission away.
  const auto third = invites::testing::login_staff(client, "alice", "a new long secret");
  CHECK(client.Get("/api/me", third.headers(false))->status == 200);
  const auto fewer_permissions = run_user_add(database.url(), "alice", "a new long secret\\n", " --grant 390");
  REQUIRE(fewer_permissions.exit_code == 0);
  check_error(client.Get("/api/me", third.headers(false)), 401, "unauthenticated");
  CHECK(single(*connection, "SELECT COUNT(*) FROM staff_sessions WHERE user_id = " + std::to_string(alice_id)) == "0");
  CHECK(single(*connection,
               "SELECT JSON_VALUE(detail, '$.sessions_ended') FROM audit_log"
               " WHERE action = 'staff_user.updated' ORDER BY id DESC LIMIT 1") == "1");
}

TEST_CASE("session: over TLS the cookie is Secure") {
  MigratedDatabase db;
  invites::testing::create_staff_user(*db.connection, "alice", password, {390});
  const invites::testing::TestCertificates certificates;
  invites::testing::ServerProcess server(
      db.database.url(), {.web_root = std::nullopt,
                          .extra_args = {"--tls-cert", certificates.server_certificate().string(), "--tls-key",
                                         certificates.server_key().string()}});
  CHECK(server.scheme() == "https");
  httplib::SSLClient client(server.host(), server.port());
  client.set_ca_cert_path(certificates.ca_certificate().c_str());
  client.enable_server_certificate_verification(true);
  const auto login =
      client.Post("/api/session", json{{"username", "alice"}, {"password", password}}.dump(), "application/json");
  REQUIRE(login);
  CHECK(login->status == 200);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  CHECK_THAT(set_cookie, Contains("; Secure"));
  CHECK_THAT(set_cookie, Contains("; HttpOnly"));
  CHECK(login->get_header_value("Strict-Transport-Security") == "max-age=31536000");
  CHECK_THAT(login->get_header_value("Content-Security-Policy"), Contains("frame-ancestors 'none'"));
  const auto me = client.Get("/api/me", {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}});
  REQUIRE(me);
  CHECK(me->status == 200);

  // Plain HTTP to the TLS port gets no answer.
  httplib::Client plain(server.host(), server.port());
  plain.set_read_timeout(std::chrono::seconds(2));
  const auto refused = plain.Get("/healthz");
  CHECK((!refused || refused->status != 200));
}

TEST_CASE("auth: require() checks the session, the CSRF token and the permission") {
  MigratedDatabase db;
  const auto sender = invites::testing::create_staff_user(*db.connection, "sender", password, {390});
  const auto plain = invites::testing::create_staff_user(*db.connection, "plain", password, {});
  invites::db::ConnectionPool pool(db.database.url(), {.size = 2});
  invites::http::SessionAuth auth(pool, {});

  const auto request_for = [&](std::uint64_t user, const std::string& name, const std::string& method) {
    auto connection = pool.acquire();
    const auto created = auth.create_session(*connection, user, name);
    httplib::Request request;
    request.method = method;
    request.path = "/api/previews";
    request.headers.emplace("Cookie", "other=1; invites_session=" + created.token + "; x=y");
    return std::pair{request, created.session.csrf_token};
  };
  using invites::http::Permission;
  // The ApiError with which require() refuses `request` (the test fails if it lets it through).
  const auto refusal = [&](const httplib::Request& request) {
    std::optional<invites::http::ApiError> refused;
    try {
      auth.require(request, Permission::send_invites);
    } catch (const invites::http::ApiError& e) {
      refused = e;
    }
    REQUIRE(refused);
    return *refused;
  };

  auto [ok, ok_csrf] = request_for(sender, "sender", "GET");
  const auto session = auth.require(ok, Permission::send_invites);
  CHECK(session.user_id == sender);
  CHECK(session.has(Permission::send_invites));
  CHECK_FALSE(session.has(Permission::setup));

  auto [denied, denied_csrf] = request_for(plain, "plain", "GET");
  const auto forbidden = refusal(denied);
  CHECK(forbidden.status() == 403);
  CHECK(forbidden.code() == "forbidden");
  CHECK_THAT(forbidden.what(), Contains("390"));

  auto [post, post_csrf] = request_for(sender, "sender", "POST");
  const auto without_token = refusal(post);
  CHECK(without_token.status() == 403);
  CHECK(without_token.code() == "csrf");
  post.headers.emplace("X-CSRF-Token", post_csrf);
  CHECK(auth.require(post, Permission::send_invites).user_id == sender);

  httplib::Request anonymous;
  anonymous.method = "GET";
  const auto unauthenticated = refusal(anonymous);
  CHECK(unauthenticated.status() == 401);
  CHECK(unauthenticated.code() == "unauthenticated");
}

TEST_CASE("user add: creates a user from the password on stdin, re-adding updates it") {
  MigratedDatabase db;
  const auto user_add = [&](const std::string& stdin_text, const std::string& extra) {
    return run_user_add(db.database.url(), "dora", stdin_text, extra);
  };

  const auto created = user_add("first secret\\n", " --grant 390,120");
  INFO(created.output);
  REQUIRE(created.exit_code == 0);
  CHECK_THAT(created.output, Contains("created staff user dora"));
  CHECK_THAT(created.output, !Contains("first secret"));
  CHECK(single(*db.connection, "SELECT password_hash LIKE '$argon2id$%' FROM staff_users WHERE username = 'dora'") ==
        "1");
  CHECK(single(*db.connection, "SELECT GROUP_CONCAT(permission ORDER BY permission) FROM staff_permissions") ==
        "120,390");

  const auto updated = user_add("second secret\\r\\n", " --grant 120");
  INFO(updated.output);
  REQUIRE(updated.exit_code == 0);
  CHECK_THAT(updated.output, Contains("updated staff user dora"));
  CHECK(single(*db.connection, "SELECT COUNT(*) FROM staff_users") == "1");
  CHECK(single(*db.connection, "SELECT GROUP_CONCAT(permission) FROM staff_permissions") == "120");
  CHECK(single(*db.connection, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'staff_user.%'") == "2");

  invites::testing::ServerProcess server(db.database.url(), invites::testing::ServerProcess::Options{});
  httplib::Client client(server.host(), server.port());
  const auto old_password =
      client.Post("/api/session", R"({"username":"dora","password":"first secret"})", "application/json");
  CHECK(old_password->status == 401);
  const auto login =
      client.Post("/api/session", R"({"username":"dora","password":"second secret"})", "application/json");
  REQUIRE(login);
  CHECK(login->status == 200);
  CHECK(json::parse(login->body).at("permissions") == json::array({120}));

  const auto unknown = user_add("x\\n", " --grant 390,999");
  CHECK(unknown.exit_code != 0);
  CHECK_THAT(unknown.output, Contains("999"));
  const auto empty = user_add("\\n", "");
  CHECK(empty.exit_code != 0);
  CHECK_THAT(empty.output, Contains("empty"));
  CHECK(single(*db.connection, "SELECT COUNT(*) FROM staff_users") == "1");
}

TEST_CASE("user add: refuses control characters and look-alikes of an existing username") {
  MigratedDatabase db;
  invites::testing::create_staff_user(*db.connection, "dora", password, {});
  const auto user_add = [&](const std::string& username) {
    return invites::testing::run_process({invites::testing::invites_server_path(), "user", "add", "--db",
                                          db.database.url().to_string(), "--username", username, "--password-stdin"});
  };
  // A newline would forge a line in the server log.
  const auto forged = user_add("eve\n2026-12-06 info session.login username=dora");
  CHECK(forged.exit_code != 0);
  CHECK_THAT(forged.output, Contains("control characters"));
  // So would the line breaks of some log viewers: NEL (a C1 control), U+2028, U+2029; and any other C1 control.
  for (const char* separator : {"\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xc2\x9b"}) {
    const auto refused = user_add(std::string("eve") + separator + "2026-12-06 info session.login");
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.output, Contains("control characters"));
  }
  CHECK(user_add(" dora").exit_code != 0);
  // "dor\xc3\xa1" is "dora" to the collation: it must not replace dora's password.
  const auto look_alike = invites::testing::run_process(
      {"/bin/sh", "-c",
       "printf 'new secret\\n' | '" + invites::testing::invites_server_path() + "' user add --db '" +
           db.database.url().to_string() + "' --username 'dor\xc3\xa1' --password-stdin"});
  CHECK(look_alike.exit_code != 0);
  CHECK_THAT(look_alike.output, Contains("cannot tell apart"));
  CHECK(single(*db.connection, "SELECT COUNT(*) FROM staff_users") == "1");
}

TEST_CASE("login throttle: per username and address, with ceilings per username and per address, the window slides") {
  using invites::http::LoginThrottle;
  MigratedDatabase db;
  invites::db::ConnectionPool pool(db.database.url(), {.size = 2});
  LoginThrottle throttle(pool, {.failures_per_username_and_address = 3,
                                .failures_per_username = 5,
                                .failures_per_address = 7,
                                .window = std::chrono::seconds(60)});
  const auto t0 = LoginThrottle::Clock::now();
  const auto at = [&](int seconds) { return t0 + std::chrono::seconds(seconds); };
  // An admitted attempt counts as a failure unless it succeeds.
  const auto fail = [&](const char* username, const char* address, int seconds) {
    INFO(username << " from " << address << " at " << seconds << " s");
    REQUIRE(throttle.admit(username, address, at(seconds)).attempt);
  };
  const auto refused_for = [&](const char* username, const char* address, int seconds) {
    const auto admission = throttle.admit(username, address, at(seconds));
    return admission.attempt ? 0 : static_cast<int>(admission.retry_after.count());
  };
  for (int i = 0; i < 3; ++i) fail("Alice", "10.0.0.1", i);
  // (alice, 10.0.0.1), in any ASCII case, waits until its oldest failure is 60 s old...
  CHECK(refused_for("alice", "10.0.0.1", 10) == 50);
  // ...while alice elsewhere, and others from there, go on (each such attempt counts).
  fail("alice", "10.0.0.2", 10);
  fail("bob", "10.0.0.1", 10);
  // Other spellings are other (unknown) users: they do not share alice's count.
  fail("alice ", "10.0.0.1", 10);

  // The per-username ceiling, over all addresses: alice has 4 attempts, one more makes 5.
  fail("alice", "10.0.0.3", 20);
  CHECK(refused_for("alice", "10.0.0.4", 21) == 39);
  fail("bob", "10.0.0.4", 21);

  // The per-address ceiling, over all usernames: 10.0.0.1 has 5 attempts, 2 more make 7.
  for (const char* name : {"x", "y"}) fail(name, "10.0.0.1", 30);
  CHECK(refused_for("carol", "10.0.0.1", 31) > 0);
  fail("carol", "10.0.0.9", 31);

  // A success clears its own (username, address) only, and only the failures
  // made before it: one made while its password was being checked (a
  // guesser racing the real user) still counts.
  fail("dave", "10.0.0.6", 39);
  const auto third = throttle.admit("dave", "10.0.0.6", at(40));
  REQUIRE(third.attempt);
  fail("dave", "10.0.0.6", 40);
  CHECK(refused_for("dave", "10.0.0.6", 41) == 58);
  throttle.succeeded(*third.attempt);
  const auto again = throttle.admit("DAVE", "10.0.0.6", at(41));
  REQUIRE(again.attempt);
  fail("dave", "10.0.0.6", 41);
  CHECK(refused_for("dave", "10.0.0.6", 41) == 59);  // the racing failure, `again` and this one: 3 of 3
  throttle.succeeded(*again.attempt);

  // The window slides: at 60 s alice's first failure from 10.0.0.1 has left it, so she may try again there.
  CHECK(refused_for("alice", "10.0.0.1", 60) == 0);
  // The counts are in the database, shared by every server: a second throttle sees them.
  LoginThrottle other_server(pool, {.failures_per_username_and_address = 3, .window = std::chrono::seconds(60)});
  CHECK(other_server.admit("dave", "10.0.0.6", at(42)).attempt.has_value());
  CHECK(other_server.admit("alice", "10.0.0.1", at(60)).attempt == std::nullopt);  // 1 s, 2 s and 60 s
}

TEST_CASE_METHOD(SessionServer, "session: 40 concurrent wrong passwords for one user get exactly 5 checked") {
  std::vector<std::future<int>> answers;
  for (int i = 0; i < 40; ++i) {
    answers.push_back(std::async(std::launch::async, [this] {
      httplib::Client own(server.host(), server.port());
      own.set_read_timeout(60, 0);
      const auto response =
          own.Post("/api/session", json{{"username", "alice"}, {"password", "wrong"}}.dump(), "application/json");
      return response ? response->status : -1;
    }));
  }
  int checked = 0, throttled = 0;
  for (auto& answer : answers) {
    const int status = answer.get();
    if (status == 401) ++checked;
    if (status == 429) ++throttled;
  }
  CHECK(checked == 5);
  CHECK(throttled == 35);
  CHECK(single(*connection, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.login_failed'") == "5");
}

TEST_CASE("client address: it is X-Forwarded-For's only behind a trusted proxy") {
  using invites::http::client_address;
  CHECK(client_address("10.0.0.1", "192.0.2.7", {}) == "10.0.0.1");
  const std::vector<std::string> proxies{"10.0.0.1", "10.0.0.2"};
  CHECK(client_address("10.0.0.9", "192.0.2.7", proxies) == "10.0.0.9");  // not a proxy of ours
  CHECK(client_address("10.0.0.1", "192.0.2.7", proxies) == "192.0.2.7");
  // The client may send its own header: only the entries our proxies appended count, from the right.
  CHECK(client_address("10.0.0.1", "1.1.1.1, 192.0.2.7,10.0.0.2", proxies) == "192.0.2.7");
  CHECK(client_address("10.0.0.1", "", proxies) == "10.0.0.1");
  CHECK(client_address("10.0.0.1", " , 10.0.0.2", proxies) == "10.0.0.1");
}
