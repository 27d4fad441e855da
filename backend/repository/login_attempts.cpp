#include "repository/login_attempts.hpp"

#include "db/statement.hpp"

namespace invites::repository {
namespace {

// A prefix keeps a username and an address with the same text apart.
std::string username_scope(const std::string& username_key) { return "user:" + username_key; }
std::string address_scope(const std::string& address) { return "addr:" + address; }

// The row always changes (its time moves on by at least 1 ms): an update that
// wrote the same value would change nothing, and Galera would then certify two
// such transactions on two nodes in the same millisecond as not conflicting.
void touch_key(sql::Connection& connection, const std::string& scope_key, std::int64_t now_ms) {
  db::update(connection,
             "INSERT INTO login_throttle_keys (scope_key, touched_at_ms) VALUES (?, ?) "
             "ON DUPLICATE KEY UPDATE touched_at_ms = GREATEST(touched_at_ms + 1, VALUES(touched_at_ms))",
             scope_key, now_ms);
}

}  // namespace

void lock_login_throttle_keys(sql::Connection& connection, const std::string& username_key, const std::string& address,
                              std::int64_t now_ms) {
  touch_key(connection, username_scope(username_key), now_ms);
  touch_key(connection, address_scope(address), now_ms);
}

std::optional<std::int64_t> nth_newest_login_attempt(sql::Connection& connection, const LoginAttemptScope& scope,
                                                     std::int64_t since_ms, std::uint64_t nth) {
  const auto offset = static_cast<std::int64_t>(nth) - 1;
  std::optional<db::ReadResult<std::int64_t>> found;
  if (scope.username_key && scope.address) {
    found = db::query_row<std::int64_t>(connection,
                                        "SELECT attempted_at_ms FROM login_attempts "
                                        "WHERE username_key = ? AND address = ? AND counts_for_pair "
                                        "AND attempted_at_ms > ? ORDER BY attempted_at_ms DESC LIMIT 1 OFFSET ?",
                                        *scope.username_key, *scope.address, since_ms, offset);
  } else if (scope.username_key) {
    found = db::query_row<std::int64_t>(connection,
                                        "SELECT attempted_at_ms FROM login_attempts "
                                        "WHERE username_key = ? AND attempted_at_ms > ? "
                                        "ORDER BY attempted_at_ms DESC LIMIT 1 OFFSET ?",
                                        *scope.username_key, since_ms, offset);
  } else if (scope.address) {
    found = db::query_row<std::int64_t>(connection,
                                        "SELECT attempted_at_ms FROM login_attempts "
                                        "WHERE address = ? AND attempted_at_ms > ? "
                                        "ORDER BY attempted_at_ms DESC LIMIT 1 OFFSET ?",
                                        *scope.address, since_ms, offset);
  }
  if (!found) return std::nullopt;
  return *found;
}

std::uint64_t insert_login_attempt(sql::Connection& connection, const std::string& username_key,
                                   const std::string& address, std::int64_t now_ms) {
  db::update(connection, "INSERT INTO login_attempts (username_key, address, attempted_at_ms) VALUES (?, ?, ?)",
             username_key, address, now_ms);
  return db::last_insert_id(connection);
}

void forgive_login_attempts(sql::Connection& connection, std::uint64_t attempt_id, const std::string& username_key,
                            const std::string& address, std::int64_t attempted_at_ms) {
  db::update(connection, "DELETE FROM login_attempts WHERE id = ?", attempt_id);
  db::update(connection,
             "UPDATE login_attempts SET counts_for_pair = FALSE "
             "WHERE username_key = ? AND address = ? AND counts_for_pair AND attempted_at_ms < ?",
             username_key, address, attempted_at_ms);
}

std::uint64_t delete_login_attempts_before(sql::Connection& connection, std::int64_t before_ms, std::uint64_t limit) {
  const auto count = static_cast<std::int64_t>(limit);
  return db::update(connection, "DELETE FROM login_attempts WHERE attempted_at_ms < ? LIMIT ?", before_ms, count) +
         db::update(connection, "DELETE FROM login_throttle_keys WHERE touched_at_ms < ? LIMIT ?", before_ms, count);
}

}  // namespace invites::repository
