#pragma once
// Staff sessions behind the Auth interface (docs/design.md §5). A session is a row of
// staff_sessions, so every server process sharing the database sees it. The
// browser holds the 32-byte token as base64url in the cookie
// `invites_session` (HttpOnly, SameSite=Strict, Path=/, Secure over TLS);
// the row holds only its BLAKE2b-256 hash. Each session has its own random
// CSRF token, required in X-CSRF-Token on every /api request other than GET
// and HEAD. A session ends after `idle_timeout` without requests or at
// `absolute_timeout` after login, whichever comes first.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cppconn/connection.h>
#include <httplib.h>

#include "db/connection_pool.hpp"
#include "http/auth.hpp"

namespace invites::http {

inline constexpr std::string_view session_cookie_name = "invites_session";
inline constexpr std::string_view csrf_header_name = "X-CSRF-Token";

struct SessionOptions {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 60 * 60};
  bool secure_cookie = false;  // add `Secure` to the cookie (set when serving TLS)
};

// The value of cookie `name` in the request's Cookie header(s), if any.
std::optional<std::string> request_cookie(const httplib::Request& request, std::string_view name);

class SessionAuth : public Auth {
 public:
  SessionAuth(db::ConnectionPool& pool, SessionOptions options);

  StaffSession require_session(const httplib::Request& request) override;

  struct NewSession {
    StaffSession session;
    std::string token;  // base64url, for the cookie only: never log or store it
  };
  // Inserts a session row for the user (and deletes expired rows).
  NewSession create_session(sql::Connection& connection, std::uint64_t user_id, const std::string& username);
  // Deletes the row of the request's session cookie; false when there was none.
  bool delete_session(sql::Connection& connection, const httplib::Request& request);

  // Set-Cookie values: the session cookie, and one that removes it.
  std::string session_cookie(std::string_view token) const;
  std::string cleared_cookie() const;

  const SessionOptions& options() const noexcept { return options_; }

 private:
  std::string cookie_attributes() const;

  db::ConnectionPool& pool_;
  SessionOptions options_;
};

}  // namespace invites::http
