#include "repository/inbound_claims.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

namespace invites::repository {
namespace {

void bind_message(sql::PreparedStatement& statement, int first, const MailboxMessage& message) {
  statement.setString(first, message.mailbox);
  statement.setUInt64(first + 1, message.uid_validity);
  statement.setUInt64(first + 2, message.uid);
}

}  // namespace

ClaimState claim_message(sql::Connection& connection, const MailboxMessage& message, const std::string& token,
                         std::chrono::seconds lease) {
  // A new row is ours; an existing one becomes ours only when it is not done
  // and its lease ran out. claimed_at is assigned after claim_token, so it
  // sees whether the token changed to ours.
  std::unique_ptr<sql::PreparedStatement> upsert(connection.prepareStatement(
      "INSERT INTO inbound_mail_claims (mailbox, uid_validity, uid, claim_token, claimed_at)"
      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))"
      " ON DUPLICATE KEY UPDATE"
      " claim_token = IF(done_at IS NULL AND claimed_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND,"
      " VALUES(claim_token), claim_token),"
      " claimed_at = IF(claim_token = VALUES(claim_token), UTC_TIMESTAMP(3), claimed_at)"));
  bind_message(*upsert, 1, message);
  upsert->setString(4, token);
  upsert->setInt64(5, lease.count());
  upsert->executeUpdate();
  std::unique_ptr<sql::PreparedStatement> select(connection.prepareStatement(
      "SELECT claim_token, done_at IS NOT NULL FROM inbound_mail_claims WHERE mailbox = ? AND uid_validity = ? AND uid "
      "= ?"));
  bind_message(*select, 1, message);
  std::unique_ptr<sql::ResultSet> row(select->executeQuery());
  if (!row->next()) return ClaimState::taken;
  if (row->getBoolean(2)) return ClaimState::done;
  return row->getString(1).asStdString() == token ? ClaimState::claimed : ClaimState::taken;
}

void finish_claim(sql::Connection& connection, const MailboxMessage& message, const std::string& token,
                  const std::string& result) {
  std::unique_ptr<sql::PreparedStatement> update(
      connection.prepareStatement("UPDATE inbound_mail_claims SET done_at = UTC_TIMESTAMP(3), result = ?"
                                  " WHERE mailbox = ? AND uid_validity = ? AND uid = ? AND claim_token = ?"));
  update->setString(1, result.substr(0, 255));
  bind_message(*update, 2, message);
  update->setString(5, token);
  update->executeUpdate();
}

}  // namespace invites::repository
