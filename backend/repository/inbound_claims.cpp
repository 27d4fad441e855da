#include "repository/inbound_claims.hpp"

#include "db/statement.hpp"

namespace invites::repository {
namespace {

// A new row is ours; an existing one becomes ours only when it is not done
// and its lease ran out. claimed_at is assigned after claim_token, so it
// sees whether the token changed to ours.
constexpr const char* claim_or_take_over =
    "INSERT INTO inbound_mail_claims (mailbox, uid_validity, uid, claim_token, claimed_at)"
    " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))"
    " ON DUPLICATE KEY UPDATE"
    " claim_token = IF(done_at IS NULL AND claimed_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND,"
    " VALUES(claim_token), claim_token),"
    " claimed_at = IF(claim_token = VALUES(claim_token), UTC_TIMESTAMP(3), claimed_at)";

}  // namespace

ClaimState claim_message(sql::Connection& connection, const MailboxMessage& message, const std::string& token,
                         std::chrono::seconds lease) {
  db::update(connection, claim_or_take_over, message.mailbox, message.uid_validity, message.uid, token,
             static_cast<std::int64_t>(lease.count()));
  const auto claim = db::query_row<std::string, bool>(
      connection,
      "SELECT claim_token, done_at IS NOT NULL FROM inbound_mail_claims WHERE mailbox = ? AND uid_validity = ?"
      " AND uid = ?",
      message.mailbox, message.uid_validity, message.uid);
  if (!claim) return ClaimState::taken;
  const auto& [holder, done] = *claim;
  if (done) return ClaimState::done;
  return holder == token ? ClaimState::claimed : ClaimState::taken;
}

void finish_claim(sql::Connection& connection, const MailboxMessage& message, const std::string& token,
                  const std::string& result) {
  db::update(connection,
             "UPDATE inbound_mail_claims SET done_at = UTC_TIMESTAMP(3), result = ?"
             " WHERE mailbox = ? AND uid_validity = ? AND uid = ? AND claim_token = ?",
             result.substr(0, 255), message.mailbox, message.uid_validity, message.uid, token);
}

}  // namespace invites::repository
