#include "http/session_routes.hpp"

#include <memory>
#include <algorithm>
#include <optional>
#include <semaphore>
#include <thread>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "http/api_error.hpp"
#include "http/client_address.hpp"
#include "invites/error.hpp"
#include "repository/audit_log.hpp"
#include "repository/staff_users.hpp"
#include "security/passwords.hpp"
#include "security/usernames.hpp"

namespace invites::http {
namespace {

// Longer inputs are refused before hashing, so nobody can make argon2 chew on megabytes.
constexpr std::size_t max_username_length = 64;
constexpr std::size_t max_password_length = 1024;

// argon2id takes 64 MiB and a core per verification: at most this many run
// at once, so a burst of logins cannot exhaust memory.
std::counting_semaphore<64>& hashing_slots() {
  static std::counting_semaphore<64> slots(
      static_cast<std::ptrdiff_t>(std::clamp(std::thread::hardware_concurrency(), 2u, 8u)));
  return slots;
}

// Verifies the password against the user's hash, or against a dummy hash for
// an unknown user, so both take the same time.
bool password_matches(const std::optional<repository::StaffUser>& user, const std::string& password) {
  hashing_slots().acquire();
  struct Release {
    ~Release() { hashing_slots().release(); }
  } release;
  if (!user) {
    security::verify_dummy_password(password);
    return false;
  }
  return security::verify_password(user->password_hash, password);
}

std::string string_field(const nlohmann::json& body, const char* name, std::size_t max_length) {
  const auto found = body.find(name);
  if (found == body.end() || !found->is_string()) throw ValidationError(name, "must be a string");
  const auto& value = found->get_ref<const std::string&>();
  if (value.empty()) throw ValidationError(name, "must not be empty");
  if (value.size() > max_length) throw ValidationError(name, "is too long");
  return value;
}

nlohmann::json session_json(const StaffSession& session) {
  return {{"user", {{"id", session.user_id}, {"username", session.username}}},
          {"permissions", session.permissions},
          {"csrf_token", session.csrf_token}};
}

void login(const httplib::Request& request, httplib::Response& response, db::ConnectionPool& pool,
           SessionAuth& sessions, LoginThrottle& throttle) {
  const auto body = parse_json_object(request);
  const std::string username = string_field(body, "username", max_username_length);
  const std::string password = string_field(body, "password", max_password_length);
  const std::string address =
      client_address(request.remote_addr, request.get_header_value("X-Forwarded-For"), throttle.trusted_proxies());

  const auto admission = throttle.admit(username, address);
  if (!admission.attempt) {
    spdlog::warn("login throttled for remote={}", address);
    response.set_header("Retry-After", std::to_string(admission.retry_after.count()));
    send_error(response, 429, "too_many_attempts", "too many failed logins; try again later");
    return;
  }

  // No connection is held while argon2 runs (about 0.1 s and 64 MiB).
  std::optional<repository::StaffUser> user;
  {
    auto connection = pool.acquire();
    user = repository::find_staff_user(*connection, username);
  }
  // The collation found it; only the same name (but for ASCII case) is this user.
  if (user && security::username_key(user->username) != security::username_key(username)) user.reset();
  const bool matches = password_matches(user, password);
  const bool ok = matches && !user->disabled;
  const char* reason = !user ? "unknown_user" : !matches ? "wrong_password" : "disabled";

  auto connection = pool.acquire();
  if (!ok) {
    repository::record(*connection, user ? std::optional<std::uint64_t>(user->id) : std::nullopt,
                       "session.login_failed", {{"username", username}, {"reason", reason}, {"remote", address}});
    throw ApiError(401, "invalid_credentials", "wrong username or password");
  }
  throttle.succeeded(*admission.attempt);
  const auto created = sessions.create_session(*connection, user->id, user->username);
  repository::record(*connection, user->id, "session.login", {{"username", user->username}, {"remote", address}});
  response.set_header("Set-Cookie", sessions.session_cookie(created.token));
  response.set_header("Cache-Control", "no-store");
  send_json(response, session_json(created.session));
}

void logout(const httplib::Request& request, httplib::Response& response, db::ConnectionPool& pool,
            SessionAuth& sessions) {
  const StaffSession session = sessions.require_session(request);
  auto connection = pool.acquire();
  sessions.delete_session(*connection, request);
  repository::record(*connection, session.user_id, "session.logout",
                     {{"username", session.username}, {"remote", request.remote_addr}});
  response.set_header("Set-Cookie", sessions.cleared_cookie());
  response.status = 204;
}

}  // namespace

void register_session_routes(httplib::Server& http, db::ConnectionPool& pool, SessionAuth& sessions,
                             LoginThrottle& throttle) {
  http.Post("/api/session", [&](const httplib::Request& request, httplib::Response& response) {
    login(request, response, pool, sessions, throttle);
  });
  http.Delete("/api/session", [&](const httplib::Request& request, httplib::Response& response) {
    logout(request, response, pool, sessions);
  });
  http.Get("/api/me", [&](const httplib::Request& request, httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    send_json(response, session_json(sessions.require_session(request)));
  });
}

}  // namespace invites::http
