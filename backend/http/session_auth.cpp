#include "http/session_auth.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "http/api_error.hpp"
#include "security/tokens.hpp"

namespace invites::http {
namespace {

// last_seen_at is written at most this often per session, not on every request.
constexpr int touch_interval_seconds = 15;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

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
      const std::string_view pair = trim(header.substr(0, end));
      header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
        std::string_view value = trim(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        return std::string(value);
      }
    }
  }
  return std::nullopt;
}

std::vector<int> staff_permissions(sql::Connection& connection, std::uint64_t user_id) {
  const std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("SELECT permission FROM staff_permissions WHERE user_id = ? ORDER BY permission"));
  statement->setUInt64(1, user_id);
  const std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  std::vector<int> permissions;
  while (rows->next()) permissions.push_back(rows->getInt(1));
  return permissions;
}

SessionAuth::SessionAuth(db::ConnectionPool& pool, SessionOptions options) : pool_(pool), options_(options) {}

StaffSession SessionAuth::require_session(const httplib::Request& request) {
  const auto key = session_key(request);
  if (!key) throw unauthenticated();

  auto connection = pool_.acquire();
  StaffSession session;
  {
    const std::unique_ptr<sql::PreparedStatement> statement(connection->prepareStatement(
        "SELECT s.user_id, u.username, s.csrf_token FROM staff_sessions s"
        " JOIN staff_users u ON u.id = s.user_id"
        " WHERE s.token_hash = UNHEX(?) AND u.disabled = 0"
        " AND s.expires_at > UTC_TIMESTAMP() AND s.last_seen_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"));
    statement->setString(1, *key);
    statement->setInt64(2, options_.idle_timeout.count());
    const std::unique_ptr<sql::ResultSet> row(statement->executeQuery());
    if (!row->next()) throw unauthenticated();
    session.user_id = row->getUInt64(1);
    session.username = row->getString(2).asStdString();
    session.csrf_token = row->getString(3).asStdString();
  }

  if (request.method != "GET" && request.method != "HEAD") {
    const std::string sent = request.get_header_value(std::string(csrf_header_name).c_str());
    if (sent.empty()) throw ApiError(403, "csrf", "the X-CSRF-Token header is missing");
    if (!security::equal_constant_time(sent, session.csrf_token)) {
      throw ApiError(403, "csrf", "the X-CSRF-Token header does not match the session");
    }
  }

  {
    const std::unique_ptr<sql::PreparedStatement> touch(connection->prepareStatement(
        "UPDATE staff_sessions SET last_seen_at = UTC_TIMESTAMP()"
        " WHERE token_hash = UNHEX(?) AND last_seen_at < UTC_TIMESTAMP() - INTERVAL ? SECOND"));
    touch->setString(1, *key);
    touch->setInt(2, touch_interval_seconds);
    touch->executeUpdate();
  }
  session.permissions = staff_permissions(*connection, session.user_id);
  return session;
}

SessionAuth::NewSession SessionAuth::create_session(sql::Connection& connection, std::uint64_t user_id,
                                                    const std::string& username) {
  {
    const std::unique_ptr<sql::PreparedStatement> cleanup(
        connection.prepareStatement("DELETE FROM staff_sessions WHERE expires_at <= UTC_TIMESTAMP()"
                                    " OR last_seen_at <= UTC_TIMESTAMP() - INTERVAL ? SECOND"));
    cleanup->setInt64(1, options_.idle_timeout.count());
    cleanup->executeUpdate();
  }
  const auto token = security::random_token();
  NewSession created;
  created.token = security::to_base64url(token);
  created.session.user_id = user_id;
  created.session.username = username;
  created.session.csrf_token = security::to_hex(security::random_token());
  created.session.permissions = staff_permissions(connection, user_id);

  const std::unique_ptr<sql::PreparedStatement> insert(connection.prepareStatement(
      "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)"
      " VALUES (UNHEX(?), ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)"));
  insert->setString(1, security::to_hex(security::hash_token(token)));
  insert->setUInt64(2, user_id);
  insert->setString(3, created.session.csrf_token);
  insert->setInt64(4, options_.absolute_timeout.count());
  insert->executeUpdate();
  return created;
}

bool SessionAuth::delete_session(sql::Connection& connection, const httplib::Request& request) {
  const auto key = session_key(request);
  if (!key) return false;
  const std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("DELETE FROM staff_sessions WHERE token_hash = UNHEX(?)"));
  statement->setString(1, *key);
  return statement->executeUpdate() > 0;
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
