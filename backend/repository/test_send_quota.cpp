#include "repository/test_send_quota.hpp"

#include "db/retry.hpp"
#include "db/statement.hpp"

namespace invites::repository {

std::optional<std::chrono::seconds> take_test_send(sql::Connection& connection, std::uint64_t user_id,
                                                   const TestSendQuota& quota) {
  if (quota.limit == 0) return std::nullopt;
  const std::int64_t window_seconds = quota.window.count();
  // Every path that counts writes the row: on a Galera cluster two servers
  // counting at once conflict at commit, and the later one runs again.
  return db::transact(connection, [&]() -> std::optional<std::chrono::seconds> {
    db::update(connection,
               "INSERT INTO test_send_quota (user_id, window_started_at, sends) VALUES (?, UTC_TIMESTAMP(3), 0)"
               " ON DUPLICATE KEY UPDATE user_id = user_id",
               user_id);
    const auto [sends, milliseconds_left] = *db::query_row<std::uint32_t, std::int64_t>(
        connection,
        "SELECT sends, TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), window_started_at + INTERVAL ? SECOND) DIV 1000"
        " FROM test_send_quota WHERE user_id = ? FOR UPDATE",
        window_seconds, user_id);
    if (milliseconds_left <= 0) {
      db::update(connection,
                 "UPDATE test_send_quota SET window_started_at = UTC_TIMESTAMP(3), sends = 1 WHERE user_id = ?",
                 user_id);
      return std::nullopt;
    }
    if (sends < quota.limit) {
      db::update(connection, "UPDATE test_send_quota SET sends = sends + 1 WHERE user_id = ?", user_id);
      return std::nullopt;
    }
    return std::chrono::seconds((milliseconds_left + 999) / 1000);  // rounded up: not a moment too early
  });
}

}  // namespace invites::repository
