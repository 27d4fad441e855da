// Staff sessions over real HTTP (docs/design.md §5): login, logout, /api/me, CSRF,
// throttling, expiry, cookie flags, TLS, JSON errors of the API; Auth::require
// in-process; and `invites-server user add`.
#include <chrono>
#include <memory>
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

TEST_CASE_METHOD(SessionServer, "session: 5 failures lock the username out with 429, others still log in") {
  for (int i = 0; i < 5; ++i) check_error(post_login("alice", "wrong"), 401, "invalid_credentials");
  const auto locked = post_login("alice", password);  // even the right password
  check_error(locked, 429, "too_many_attempts");
  const int retry_after = std::stoi(locked->get_header_value("Retry-After"));
  CHECK(retry_after > 800);
  CHECK(retry_after <= 900);
  CHECK(post_login("Alice", password)->status == 429);
  CHECK(post_login("bob", password)->status == 200);
}

TEST_CASE_METHOD(SessionServer, "session: a success resets the username's failure count") {
  for (int i = 0; i < 4; ++i) check_error(post_login("alice", "wrong"), 401, "invalid_credentials");
  CHECK(post_login("alice", password)->status == 200);
  for (int i = 0; i < 4; ++i) check_error(post_login("alice", "wrong"), 401, "invalid_credentials");
  CHECK(post_login("alice", password)->status == 200);
}

TEST_CASE_METHOD(SessionServer, "session: 20 failures from one address block it for every username") {
  for (int i = 0; i < 20; ++i) {
    check_error(post_login("guess" + std::to_string(i), "wrong"), 401, "invalid_credentials");
  }
  const auto blocked = post_login("alice", password);
  check_error(blocked, 429, "too_many_attempts");
  CHECK(blocked->has_header("Retry-After"));
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

  auto [ok, ok_csrf] = request_for(sender, "sender", "GET");
  const auto session = auth.require(ok, Permission::send_invites);
  CHECK(session.user_id == sender);
  CHECK(session.has(Permission::send_invites));
  CHECK_FALSE(session.has(Permission::setup));

  auto [denied, denied_csrf] = request_for(plain, "plain", "GET");
  try {
    auth.require(denied, Permission::send_invites);
    FAIL("no exception");
  } catch (const invites::http::ApiError& e) {
    CHECK(e.status() == 403);
    CHECK(e.code() == "forbidden");
    CHECK_THAT(e.what(), Contains("390"));
  }

  auto [post, post_csrf] = request_for(sender, "sender", "POST");
  try {
    auth.require(post, Permission::send_invites);
    FAIL("no exception");
  } catch (const invites::http::ApiError& e) {
    CHECK(e.status() == 403);
    CHECK(e.code() == "csrf");
  }
  post.headers.emplace("X-CSRF-Token", post_csrf);
  CHECK(auth.require(post, Permission::send_invites).user_id == sender);

  httplib::Request anonymous;
  anonymous.method = "GET";
  try {
    auth.require(anonymous, Permission::send_invites);
    FAIL("no exception");
  } catch (const invites::http::ApiError& e) {
    CHECK(e.status() == 401);
    CHECK(e.code() == "unauthenticated");
  }
}

TEST_CASE("user add: creates a user from the password on stdin, re-adding updates it") {
  MigratedDatabase db;
  const auto user_add = [&](const std::string& stdin_text, const std::string& extra) {
    const std::string command = "printf '" + stdin_text + "' | '" + invites::testing::invites_server_path() +
                                "' user add --db '" + db.database.url().to_string() +
                                "' --username dora --password-stdin" + extra;
    return invites::testing::run_process({"/bin/sh", "-c", command});
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

TEST_CASE("login throttle: limits per username and per address, and the window slides") {
  using invites::http::LoginThrottle;
  LoginThrottle throttle({.failures_per_username = 3, .failures_per_address = 5, .window = std::chrono::seconds(60)});
  const auto t0 = LoginThrottle::Clock::now();
  for (int i = 0; i < 3; ++i) {
    CHECK_FALSE(throttle.retry_after("Alice", "10.0.0.1", t0));
    throttle.record_failure("Alice", "10.0.0.1", t0 + std::chrono::seconds(i));
  }
  // The username (any case, any address) is locked until its oldest failure is 60 s old.
  const auto wait = throttle.retry_after("alice", "10.0.0.2", t0 + std::chrono::seconds(10));
  REQUIRE(wait);
  CHECK(wait->count() == 50);
  CHECK_FALSE(throttle.retry_after("alice", "10.0.0.2", t0 + std::chrono::seconds(60)));
  CHECK_FALSE(throttle.retry_after("bob", "10.0.0.2", t0 + std::chrono::seconds(10)));

  // Two more failures from 10.0.0.1 under other names lock that address for everyone.
  throttle.record_failure("x", "10.0.0.1", t0 + std::chrono::seconds(20));
  throttle.record_failure("y", "10.0.0.1", t0 + std::chrono::seconds(20));
  CHECK(throttle.retry_after("bob", "10.0.0.1", t0 + std::chrono::seconds(21)));
  CHECK_FALSE(throttle.retry_after("bob", "10.0.0.3", t0 + std::chrono::seconds(21)));

  throttle.reset_username("ALICE");
  CHECK_FALSE(throttle.retry_after("alice", "10.0.0.2", t0 + std::chrono::seconds(11)));
}
