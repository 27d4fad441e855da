#include "repository/delivery_outcomes.hpp"

#include <stdexcept>

#include <cppconn/exception.h>

#include "db/statement.hpp"
#include "db/retry.hpp"
#include "security/tokens.hpp"

namespace invites::repository {
namespace {

constexpr int duplicate_key_error = 1062;  // ER_DUP_ENTRY
constexpr std::size_t diagnostic_bytes = 1000;

// Suppresses an address (again, if it was lifted). MySQL applies the
// assignments in order, so suppressed_at and reason still see the old lifted_at.
constexpr const char* upsert_suppression =
    "INSERT INTO address_suppressions (email, reason, last_outcome_id, suppressed_at)"
    " VALUES (?, ?, ?, UTC_TIMESTAMP(3))"
    " ON DUPLICATE KEY UPDATE"
    " suppressed_at = IF(lifted_at IS NULL, suppressed_at, UTC_TIMESTAMP(3)),"
    " reason = IF(lifted_at IS NULL, reason, VALUES(reason)),"
    " last_outcome_id = VALUES(last_outcome_id), lifted_at = NULL, lifted_by = NULL";

// Soft bounces of the address within the window that came after its last lift.
std::uint64_t recent_soft_bounces(sql::Connection& connection, const std::string& email, std::uint32_t days) {
  return db::query_row<std::uint64_t>(
             connection,
             "SELECT COUNT(*) FROM delivery_outcomes o"
             " WHERE o.email = ? AND o.kind = 'soft_bounce' AND o.occurred_at >= UTC_TIMESTAMP(3) - INTERVAL ? DAY"
             " AND o.occurred_at > COALESCE((SELECT s.lifted_at FROM address_suppressions s WHERE s.email = o.email),"
             " '1000-01-01')",
             email, days)
      .value_or(0);
}

// Suppresses the address (again, if it was lifted).
void suppress(sql::Connection& connection, const std::string& email, const std::string& reason,
              std::uint64_t outcome_id) {
  db::update(connection, upsert_suppression, email, reason, outcome_id);
}

std::optional<OutboxMessage> message_of(db::Rows rows) {
  if (!rows.next()) return std::nullopt;
  OutboxMessage message;
  rows.read_into(message.outbox_id, message.job_id, message.email, message.invite_id);
  return message;
}

}  // namespace

std::string outcome_key_for_message(const OutboxMessage& message, const std::string& kind) {
  return "outbox:" + std::to_string(message.outbox_id) + ":" + kind + ":invite:" + std::to_string(message.invite_id);
}

RecordedOutcome record_outcome(sql::Connection& connection, const NewOutcome& outcome, const SuppressionRules& rules) {
  // Another server may record an outcome of the same address at once (its
  // suppression row): db::transact runs this again after such a conflict.
  return db::transact(connection, [&]() -> RecordedOutcome {
    try {
      db::update(connection,
                 "INSERT INTO delivery_outcomes (email, kind, source, outbox_id, job_id, status_code, diagnostic,"
                 " dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 outcome.email, outcome.kind, outcome.source, outcome.outbox_id, outcome.job_id,
                 outcome.status_code.substr(0, 16), outcome.diagnostic.substr(0, diagnostic_bytes), outcome.dedupe_key);
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == duplicate_key_error) return {};
      throw;
    }
    const std::uint64_t outcome_id = db::last_insert_id(connection);
    RecordedOutcome result{true, false};
    if (outcome.kind == "hard_bounce" || outcome.kind == "complaint") {
      suppress(connection, outcome.email, outcome.kind, outcome_id);
      result.suppressed = true;
    } else if (recent_soft_bounces(connection, outcome.email, rules.soft_bounce_days) >= rules.soft_bounce_limit) {
      suppress(connection, outcome.email, "soft_bounces", outcome_id);
      result.suppressed = true;
    }
    return result;
  });
}

std::optional<OutboxMessage> outbox_message(sql::Connection& connection, std::uint64_t outbox_id) {
  return message_of(db::query(
      connection, "SELECT id, job_id, email, COALESCE(invite_id, 0) FROM send_outbox WHERE id = ?", outbox_id));
}

std::optional<OutboxMessage> last_message_to(sql::Connection& connection, const std::string& email) {
  return message_of(
      db::query(connection,
                "SELECT id, job_id, email, COALESCE(invite_id, 0) FROM send_outbox WHERE email = ? AND status = 'sent'"
                " ORDER BY sent_at DESC, id DESC LIMIT 1",
                email));
}

JobOutcomeCounts job_outcome_counts(sql::Connection& connection, std::uint64_t job_id) {
  auto rows =
      db::query(connection,
                "SELECT kind, source = 'smtp', COUNT(DISTINCT outbox_id) FROM delivery_outcomes WHERE job_id = ?"
                " GROUP BY kind, source = 'smtp'",
                job_id);
  JobOutcomeCounts counts;
  while (rows.next()) {
    const auto [kind, at_smtp, count] = rows.read<std::string, bool, std::uint64_t>();
    if (kind == "hard_bounce") counts.hard_bounced += count;
    if (kind == "soft_bounce") counts.soft_bounced += count;
    if (kind == "complaint") counts.complained += count;
    if (at_smtp) counts.rejected_at_smtp += count;
  }
  return counts;
}

bool first_webhook_receipt(sql::Connection& connection, const std::string& provider, const std::string& message_id) {
  try {
    db::update(connection, "INSERT INTO webhook_receipts (provider, message_id) VALUES (?, ?)", provider,
               message_id.substr(0, 191));
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == duplicate_key_error) return false;
    throw;
  }
  // Receipts older than any freshness window can go (a few at a time).
  db::update(connection,
             "DELETE FROM webhook_receipts WHERE received_at < UTC_TIMESTAMP(3) - INTERVAL 7 DAY LIMIT 100");
  return true;
}

std::string verp_secret(sql::Connection& connection) {
  const security::Token fresh = security::random_token();
  db::update(connection, "INSERT IGNORE INTO verp_keys (id, secret) VALUES (1, UNHEX(?))", security::to_hex(fresh));
  const auto stored = db::query_row<std::string>(connection, "SELECT HEX(secret) FROM verp_keys WHERE id = 1");
  if (!stored) throw std::runtime_error("the VERP key could not be stored");
  const auto secret = security::from_hex(*stored);
  if (!secret) throw std::runtime_error("the stored VERP key is not hex");
  return *secret;
}

}  // namespace invites::repository
