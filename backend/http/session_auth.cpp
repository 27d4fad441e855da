#include "http/session_auth.hpp"

#include "http/api_error.hpp"
#include "http/request_fields.hpp"
#include "repository/staff_sessions.hpp"
#include "repository/staff_users.hpp"
#include "security/tokens.hpp"

namespace invites::http {
namespace {

// last_seen_at is written at most this often per session, not on every request.
constexpr std::chrono::seconds touch_interval{15};

// The hex of the token's hash, for `token_hash = UNHEX(?)`; nullopt for a malformed cookie.
std::optional<std::string> session_key(const httplib::Request& request) {
  const auto cookie = request_cookie(request, session_cookie_name);
  if (!cookie) return std::nullopt;
  const auto token = security::token_from_base64url(*cookie);
  if (!token) return std::nullopt;
  return security::to_hex(security::hash_token(*token));
}

ApiError unauthenticated() { return ApiError(401, "unauthenticated", "please log in"); }

}  // namespace

std::optional<std::string> request_cookie(const httplib::Request& request, std::string_view name) {
  const auto count = request.get_header_value_count("Cookie");
  for (std::size_t i = 0; i < count; ++i) {
    const std::string value_of_header = request.get_header_value("Cookie", "", i);
    std::string_view header = value_of_header;
    while (!header.empty()) {
      const auto end = header.find(';');
      const std::string_view pair = trim_optional_whitespace(header.substr(0, end));
      header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && trim_optional_whitespace(pair.substr(0, equals)) == name) {
        std::string_view value = trim_optional_whitespace(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        return std::string(value);
      }
    }
  }
  return std::nullopt;
}

SessionAuth::SessionAuth(db::ConnectionPool& pool, SessionOptions options) : pool_(pool), options_(options) {}

StaffSession SessionAuth::require_session(const httplib::Request& request) {
  const auto key = session_key(request);
  if (!key) throw unauthenticated();

  auto connection = pool_.acquire();
  const auto row = repository::find_live_session(*connection, *key, options_.idle_timeout);
  if (!row) throw unauthenticated();
  StaffSession session{.user_id = row->user_id, .username = row->username, .csrf_token = row->csrf_token};

  if (request.method != "GET" && request.method != "HEAD") {
    const std::string sent = request.get_header_value(std::string(csrf_header_name).c_str());
    if (sent.empty()) throw ApiError(403, "csrf", "the X-CSRF-Token header is missing");
    if (!security::equal_constant_time(sent, session.csrf_token)) {
      throw ApiError(403, "csrf", "the X-CSRF-Token header does not match the session");
    }
  }

  repository::touch_session(*connection, *key, touch_interval);
  session.permissions = repository::staff_permissions(*connection, session.user_id);
  return session;
}

SessionAuth::NewSession SessionAuth::create_session(sql::Connection& connection, std::uint64_t user_id,
                                                    const std::string& username) {
  repository::delete_dead_sessions(connection, options_.idle_timeout);
  const auto token = security::random_token();
  NewSession created;
  created.token = security::to_base64url(token);
  created.session.user_id = user_id;
  created.session.username = username;
  created.session.csrf_token = security::to_hex(security::random_token());
  created.session.permissions = repository::staff_permissions(connection, user_id);

  repository::insert_session(connection, security::to_hex(security::hash_token(token)), user_id,
                             created.session.csrf_token, options_.absolute_timeout);
  return created;
}

bool SessionAuth::delete_session(sql::Connection& connection, const httplib::Request& request) {
  const auto key = session_key(request);
  if (!key) return false;
  return repository::delete_session(connection, *key);
}

std::string SessionAuth::cookie_attributes() const {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (options_.secure_cookie ? "; Secure" : "");
}

std::string SessionAuth::session_cookie(std::string_view token) const {
  return std::string(session_cookie_name) + "=" + std::string(token) +
         "; Max-Age=" + std::to_string(options_.absolute_timeout.count()) + cookie_attributes();
}

std::string SessionAuth::cleared_cookie() const {
  return std::string(session_cookie_name) + "=; Max-Age=0" + cookie_attributes();
}

}  // namespace invites::http
