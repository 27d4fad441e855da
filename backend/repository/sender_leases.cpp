#include "repository/sender_leases.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "repository/row_values.hpp"

namespace invites::repository {
namespace {

std::unique_ptr<sql::PreparedStatement> prepare_for_token(sql::Connection& connection, const char* text,
                                                          std::uint64_t token) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(text));
  statement->setUInt64(1, token);
  return statement;
}

}  // namespace

std::uint64_t take_sender_lease(sql::Connection& connection, const std::string& instance_id, const std::string& host,
                                std::chrono::seconds ttl) {
  std::unique_ptr<sql::PreparedStatement> insert(connection.prepareStatement(
      "INSERT INTO sender_leases (instance_id, host, acquired_at, heartbeat_at, expires_at) "
      "VALUES (?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ? SECOND)"));
  insert->setString(1, instance_id);
  insert->setString(2, host.substr(0, 255));
  insert->setInt64(3, ttl.count());
  insert->executeUpdate();
  return last_insert_id(connection);
}

bool renew_sender_lease(sql::Connection& connection, std::uint64_t token, std::chrono::seconds ttl) {
  std::unique_ptr<sql::PreparedStatement> update(connection.prepareStatement(
      "UPDATE sender_leases SET heartbeat_at = UTC_TIMESTAMP(3), expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND "
      "WHERE token = ? AND expires_at > UTC_TIMESTAMP(3)"));
  update->setInt64(1, ttl.count());
  update->setUInt64(2, token);
  return update->executeUpdate() == 1;
}

void confirm_sender_lease(sql::Connection& connection, std::uint64_t token) {
  const auto update = prepare_for_token(
      connection,
      // claims + 1: the row always changes, so the affected-row count (changed rows) is 1 exactly when the lease holds.
      "UPDATE sender_leases SET claims = claims + 1 WHERE token = ? AND expires_at > UTC_TIMESTAMP(3)", token);
  if (update->executeUpdate() != 1) throw LeaseLost("the sender lease " + std::to_string(token) + " is over");
}

bool end_sender_lease_if_expired(sql::Connection& connection, std::uint64_t token) {
  const auto remove = prepare_for_token(
      connection, "DELETE FROM sender_leases WHERE token = ? AND expires_at <= UTC_TIMESTAMP(3)", token);
  if (remove->executeUpdate() == 1) return true;
  const auto exists = prepare_for_token(connection, "SELECT 1 FROM sender_leases WHERE token = ?", token);
  std::unique_ptr<sql::ResultSet> row(exists->executeQuery());
  return !row->next();
}

void give_up_sender_lease(sql::Connection& connection, std::uint64_t token) {
  prepare_for_token(connection, "DELETE FROM sender_leases WHERE token = ?", token)->executeUpdate();
}

}  // namespace invites::repository
