#include "repository/sender_leases.hpp"

#include "db/statement.hpp"

namespace invites::repository {

std::uint64_t take_sender_lease(sql::Connection& connection, const std::string& instance_id, const std::string& host,
                                std::chrono::seconds ttl) {
  db::update(connection,
             "INSERT INTO sender_leases (instance_id, host, acquired_at, heartbeat_at, expires_at) "
             "VALUES (?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ? SECOND)",
             instance_id, host.substr(0, 255), static_cast<std::int64_t>(ttl.count()));
  return db::last_insert_id(connection);
}

bool renew_sender_lease(sql::Connection& connection, std::uint64_t token, std::chrono::seconds ttl) {
  return db::update(connection,
                    "UPDATE sender_leases SET heartbeat_at = UTC_TIMESTAMP(3), "
                    "expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND "
                    "WHERE token = ? AND expires_at > UTC_TIMESTAMP(3)",
                    static_cast<std::int64_t>(ttl.count()), token) == 1;
}

void confirm_sender_lease(sql::Connection& connection, std::uint64_t token) {
  // claims + 1: the row always changes, so the affected-row count (changed rows) is 1 exactly when the lease holds.
  if (db::update(connection,
                 "UPDATE sender_leases SET claims = claims + 1 WHERE token = ? AND expires_at > UTC_TIMESTAMP(3)",
                 token) != 1) {
    throw LeaseLost("the sender lease " + std::to_string(token) + " is over");
  }
}

bool end_sender_lease_if_expired(sql::Connection& connection, std::uint64_t token) {
  if (db::update(connection, "DELETE FROM sender_leases WHERE token = ? AND expires_at <= UTC_TIMESTAMP(3)", token) ==
      1) {
    return true;
  }
  return !db::query_row<int>(connection, "SELECT 1 FROM sender_leases WHERE token = ?", token);
}

void give_up_sender_lease(sql::Connection& connection, std::uint64_t token) {
  db::update(connection, "DELETE FROM sender_leases WHERE token = ?", token);
}

}  // namespace invites::repository
