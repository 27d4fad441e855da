#include "repository/staff_sessions.hpp"

#include "db/statement.hpp"

namespace invites::repository {
namespace {

constexpr const char* select_live =
    "SELECT s.user_id, u.username, s.csrf_token FROM staff_sessions s"
    " JOIN staff_users u ON u.id = s.user_id"
    " WHERE s.token_hash = UNHEX(?) AND u.disabled = 0"
    " AND s.expires_at > UTC_TIMESTAMP() AND s.last_seen_at > UTC_TIMESTAMP() - INTERVAL ? SECOND";

constexpr const char* insert =
    "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)"
    " VALUES (UNHEX(?), ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)";

}  // namespace

std::optional<StaffSessionRow> find_live_session(sql::Connection& connection, const std::string& token_hash_hex,
                                                 std::chrono::seconds idle_timeout) {
  auto rows = db::query(connection, select_live, token_hash_hex, std::int64_t{idle_timeout.count()});
  if (!rows.next()) return std::nullopt;
  StaffSessionRow session;
  rows.read_into(session.user_id, session.username, session.csrf_token);
  return session;
}

void touch_session(sql::Connection& connection, const std::string& token_hash_hex, std::chrono::seconds interval) {
  db::update(connection,
             "UPDATE staff_sessions SET last_seen_at = UTC_TIMESTAMP()"
             " WHERE token_hash = UNHEX(?) AND last_seen_at < UTC_TIMESTAMP() - INTERVAL ? SECOND",
             token_hash_hex, std::int64_t{interval.count()});
}

void delete_dead_sessions(sql::Connection& connection, std::chrono::seconds idle_timeout) {
  db::update(connection,
             "DELETE FROM staff_sessions WHERE expires_at <= UTC_TIMESTAMP()"
             " OR last_seen_at <= UTC_TIMESTAMP() - INTERVAL ? SECOND",
             std::int64_t{idle_timeout.count()});
}

void insert_session(sql::Connection& connection, const std::string& token_hash_hex, std::uint64_t user_id,
                    const std::string& csrf_token, std::chrono::seconds lifetime) {
  db::update(connection, insert, token_hash_hex, user_id, csrf_token, std::int64_t{lifetime.count()});
}

bool delete_session(sql::Connection& connection, const std::string& token_hash_hex) {
  return db::update(connection, "DELETE FROM staff_sessions WHERE token_hash = UNHEX(?)", token_hash_hex) > 0;
}

std::uint64_t delete_user_sessions(sql::Connection& connection, std::uint64_t user_id) {
  return db::update(connection, "DELETE FROM staff_sessions WHERE user_id = ?", user_id);
}

}  // namespace invites::repository
