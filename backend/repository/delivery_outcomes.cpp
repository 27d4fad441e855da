#include "repository/delivery_outcomes.hpp"

#include <memory>
#include <stdexcept>

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "db/transaction.hpp"
#include "repository/row_values.hpp"
#include "security/tokens.hpp"

namespace invites::repository {
namespace {

constexpr int duplicate_key_error = 1062;  // ER_DUP_ENTRY
constexpr std::size_t diagnostic_bytes = 1000;

// Soft bounces of the address within the window that came after its last lift.
std::uint64_t recent_soft_bounces(sql::Connection& connection, const std::string& email, std::uint32_t days) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "SELECT COUNT(*) FROM delivery_outcomes o"
      " WHERE o.email = ? AND o.kind = 'soft_bounce' AND o.occurred_at >= UTC_TIMESTAMP(3) - INTERVAL ? DAY"
      " AND o.occurred_at > COALESCE((SELECT s.lifted_at FROM address_suppressions s WHERE s.email = o.email),"
      " '1000-01-01')"));
  statement->setString(1, email);
  statement->setUInt(2, days);
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery());
  return row->next() ? row->getUInt64(1) : 0;
}

// Suppresses the address (again, if it was lifted). MySQL applies the
// assignments in order, so suppressed_at and reason still see the old lifted_at.
void suppress(sql::Connection& connection, const std::string& email, const std::string& reason,
              std::uint64_t outcome_id) {
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("INSERT INTO address_suppressions (email, reason, last_outcome_id, suppressed_at)"
                                  " VALUES (?, ?, ?, UTC_TIMESTAMP(3))"
                                  " ON DUPLICATE KEY UPDATE"
                                  " suppressed_at = IF(lifted_at IS NULL, suppressed_at, UTC_TIMESTAMP(3)),"
                                  " reason = IF(lifted_at IS NULL, reason, VALUES(reason)),"
                                  " last_outcome_id = VALUES(last_outcome_id), lifted_at = NULL, lifted_by = NULL"));
  statement->setString(1, email);
  statement->setString(2, reason);
  statement->setUInt64(3, outcome_id);
  statement->executeUpdate();
}

std::optional<OutboxMessage> message_of(sql::PreparedStatement& statement) {
  std::unique_ptr<sql::ResultSet> row(statement.executeQuery());
  if (!row->next()) return std::nullopt;
  return OutboxMessage{row->getUInt64(1), row->getUInt64(2), row->getString(3).asStdString()};
}

}  // namespace

std::string outcome_key_for_outbox(std::uint64_t outbox_id, const std::string& kind) {
  return "outbox:" + std::to_string(outbox_id) + ":" + kind;
}

RecordedOutcome record_outcome(sql::Connection& connection, const NewOutcome& outcome, const SuppressionRules& rules) {
  db::Transaction transaction(connection);
  {
    std::unique_ptr<sql::PreparedStatement> insert(connection.prepareStatement(
        "INSERT INTO delivery_outcomes (email, kind, source, outbox_id, job_id, status_code, diagnostic, dedupe_key)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    insert->setString(1, outcome.email);
    insert->setString(2, outcome.kind);
    insert->setString(3, outcome.source);
    set_nullable(*insert, 4, outcome.outbox_id);
    set_nullable(*insert, 5, outcome.job_id);
    insert->setString(6, outcome.status_code.substr(0, 16));
    insert->setString(7, outcome.diagnostic.substr(0, diagnostic_bytes));
    insert->setString(8, outcome.dedupe_key);
    try {
      insert->executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == duplicate_key_error) return {};
      throw;
    }
  }
  const std::uint64_t outcome_id = last_insert_id(connection);
  RecordedOutcome result{true, false};
  if (outcome.kind == "hard_bounce" || outcome.kind == "complaint") {
    suppress(connection, outcome.email, outcome.kind, outcome_id);
    result.suppressed = true;
  } else if (recent_soft_bounces(connection, outcome.email, rules.soft_bounce_days) >= rules.soft_bounce_limit) {
    suppress(connection, outcome.email, "soft_bounces", outcome_id);
    result.suppressed = true;
  }
  transaction.commit();
  return result;
}

std::optional<OutboxMessage> outbox_message(sql::Connection& connection, std::uint64_t outbox_id) {
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("SELECT id, job_id, email FROM send_outbox WHERE id = ?"));
  statement->setUInt64(1, outbox_id);
  return message_of(*statement);
}

std::optional<OutboxMessage> last_message_to(sql::Connection& connection, const std::string& email) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "SELECT id, job_id, email FROM send_outbox WHERE email = ? AND status = 'sent' ORDER BY sent_at DESC, id DESC "
      "LIMIT 1"));
  statement->setString(1, email);
  return message_of(*statement);
}

JobOutcomeCounts job_outcome_counts(sql::Connection& connection, std::uint64_t job_id) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "SELECT kind, source = 'smtp', COUNT(DISTINCT outbox_id) FROM delivery_outcomes WHERE job_id = ?"
      " GROUP BY kind, source = 'smtp'"));
  statement->setUInt64(1, job_id);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  JobOutcomeCounts counts;
  while (rows->next()) {
    const std::string kind = rows->getString(1).asStdString();
    const std::uint64_t count = rows->getUInt64(3);
    if (kind == "hard_bounce") counts.hard_bounced += count;
    if (kind == "soft_bounce") counts.soft_bounced += count;
    if (kind == "complaint") counts.complained += count;
    if (rows->getBoolean(2)) counts.rejected_at_smtp += count;
  }
  return counts;
}

bool first_webhook_receipt(sql::Connection& connection, const std::string& provider, const std::string& message_id) {
  std::unique_ptr<sql::PreparedStatement> insert(
      connection.prepareStatement("INSERT INTO webhook_receipts (provider, message_id) VALUES (?, ?)"));
  insert->setString(1, provider);
  insert->setString(2, message_id.substr(0, 191));
  try {
    insert->executeUpdate();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == duplicate_key_error) return false;
    throw;
  }
  // Receipts older than any freshness window can go (a few at a time).
  std::unique_ptr<sql::PreparedStatement> purge(connection.prepareStatement(
      "DELETE FROM webhook_receipts WHERE received_at < UTC_TIMESTAMP(3) - INTERVAL 7 DAY LIMIT 100"));
  purge->executeUpdate();
  return true;
}

std::string verp_secret(sql::Connection& connection) {
  const security::Token fresh = security::random_token();
  std::unique_ptr<sql::PreparedStatement> insert(
      connection.prepareStatement("INSERT IGNORE INTO verp_keys (id, secret) VALUES (1, UNHEX(?))"));
  insert->setString(1, security::to_hex(fresh));
  insert->executeUpdate();
  std::unique_ptr<sql::PreparedStatement> select(
      connection.prepareStatement("SELECT HEX(secret) FROM verp_keys WHERE id = 1"));
  std::unique_ptr<sql::ResultSet> row(select->executeQuery());
  if (!row->next()) throw std::runtime_error("the VERP key could not be stored");
  const auto secret = security::from_hex(row->getString(1).asStdString());
  if (!secret) throw std::runtime_error("the stored VERP key is not hex");
  return *secret;
}

}  // namespace invites::repository
