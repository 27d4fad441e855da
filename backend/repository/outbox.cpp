#include "repository/outbox.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <nlohmann/json.hpp>

#include "db/transaction.hpp"
#include "repository/row_values.hpp"
#include "repository/send_jobs.hpp"

namespace invites::repository {
namespace {

constexpr std::size_t max_error_bytes = 2000;
// A row that goes back from 'sending' waits again, unless its job was
// cancelled meanwhile: then it is cancelled too.
constexpr const char* unsent_status =
    "status = IF((SELECT j.status FROM send_jobs j WHERE j.id = send_outbox.job_id) = 'cancelled', 'cancelled', "
    "'pending'), claimed_by = NULL";

// "?, ?, ?" (or "UNHEX(?), UNHEX(?)" with that marker): placeholders only, never values.
std::string placeholders(std::size_t count, const std::string& marker = "?") {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (i == 0 ? "" : ", ") + marker;
  return out;
}

// Invitations whose message did not go out open nothing: revoke them.
void revoke_unmailed(sql::Connection& connection, const std::vector<std::uint64_t>& invite_ids) {
  if (invite_ids.empty()) return;
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "UPDATE portal_invites SET revoked_at = UTC_TIMESTAMP() WHERE revoked_at IS NULL AND accepted_at IS NULL "
      "AND id IN (" +
      placeholders(invite_ids.size()) + ")"));
  for (std::size_t i = 0; i < invite_ids.size(); ++i) statement->setUInt64(static_cast<int>(i + 1), invite_ids[i]);
  statement->executeUpdate();
}

std::string clipped(const std::string& detail) {
  return detail.size() <= max_error_bytes ? detail : detail.substr(0, max_error_bytes);
}

StoredTemplate template_from_json(const nlohmann::json& json) {
  StoredTemplate stored;
  stored.id = json.at("id").get<std::uint32_t>();
  stored.name = json.at("name").get<std::string>();
  stored.text.subject = json.at("subject").get<std::string>();
  stored.text.content_type = parse_content_type(json.at("content_type").get<std::string>()).value_or(ContentType::html);
  stored.text.body = json.at("body").get<std::string>();
  stored.text.text_body = json.value("text_body", std::string());
  return stored;
}

// Runs an UPDATE of one outbox row that is still this instance's, and
// revokes its unmailed invitation.
int update_claimed(sql::Connection& connection, const std::string& set_clause, const ClaimedRecipient& recipient,
                   const std::string& instance_id, const std::optional<std::string>& text) {
  if (recipient.invite_id) revoke_unmailed(connection, {recipient.invite_id});
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("UPDATE send_outbox SET " + set_clause +
                                  ", claimed_by = NULL WHERE id = ? AND claimed_by = ? AND status = 'sending'"));
  int index = 1;
  if (text) statement->setString(index++, *text);
  statement->setUInt64(index++, recipient.outbox_id);
  statement->setString(index, instance_id);
  return statement->executeUpdate();
}

}  // namespace

std::string sender_lock_name(const std::string& instance_id) { return "invites-sender-" + instance_id; }

std::vector<std::uint64_t> active_job_ids(sql::Connection& connection) {
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("SELECT id FROM send_jobs WHERE status IN ('queued', 'running') ORDER BY id"));
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  std::vector<std::uint64_t> ids;
  while (rows->next()) ids.push_back(rows->getUInt64(1));
  return ids;
}

std::optional<JobSettings> job_settings(sql::Connection& connection, std::uint64_t job_id) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "SELECT status, from_email, template_json, invite_ttl_days FROM send_jobs WHERE id = ?"));
  statement->setUInt64(1, job_id);
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery());
  if (!row->next()) return std::nullopt;
  JobSettings settings;
  settings.id = job_id;
  settings.status = stored_enum(*row, 1, parse_job_status, "send_jobs.status");
  settings.from_email = row->getString(2).asStdString();
  settings.message_template = template_from_json(nlohmann::json::parse(row->getString(3).asStdString()));
  settings.invite_ttl_days = static_cast<int>(row->getUInt(4));
  return settings;
}

std::optional<JobStatus> job_status(sql::Connection& connection, std::uint64_t job_id) {
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("SELECT status FROM send_jobs WHERE id = ?"));
  statement->setUInt64(1, job_id);
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery());
  if (!row->next()) return std::nullopt;
  return stored_enum(*row, 1, parse_job_status, "send_jobs.status");
}

std::vector<ClaimedRecipient> claim_batch(sql::Connection& connection, std::uint64_t job_id,
                                          const std::string& instance_id, std::size_t limit) {
  std::vector<std::uint64_t> ids;
  {
    db::Transaction transaction(connection);
    std::unique_ptr<sql::PreparedStatement> select(connection.prepareStatement(
        "SELECT id FROM send_outbox WHERE job_id = ? AND status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3) "
        "ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED"));
    select->setUInt64(1, job_id);
    select->setUInt64(2, limit);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    while (rows->next()) ids.push_back(rows->getUInt64(1));
    if (ids.empty()) return {};
    std::unique_ptr<sql::PreparedStatement> claim(connection.prepareStatement(
        "UPDATE send_outbox SET status = 'sending', claimed_by = ? WHERE id IN (" + placeholders(ids.size()) + ")"));
    claim->setString(1, instance_id);
    for (std::size_t i = 0; i < ids.size(); ++i) claim->setUInt64(static_cast<int>(i + 2), ids[i]);
    claim->executeUpdate();
    transaction.commit();
  }
  {
    std::unique_ptr<sql::PreparedStatement> start(connection.prepareStatement(
        "UPDATE send_jobs SET status = 'running', started_at = COALESCE(started_at, UTC_TIMESTAMP(3)) "
        "WHERE id = ? AND status = 'queued'"));
    start->setUInt64(1, job_id);
    start->executeUpdate();
  }
  std::unique_ptr<sql::PreparedStatement> details(connection.prepareStatement(
      "SELECT o.id, o.email, o.attempts, COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), a.account_number, "
      "a.name, d.name, p.status, su.email IS NOT NULL FROM send_outbox o "
      "JOIN contacts c ON c.id = o.contact_id JOIN accounts a ON a.id = c.account_id "
      "JOIN divisions d ON d.id = a.division_id LEFT JOIN portal_users p ON p.email = o.email "
      "LEFT JOIN address_suppressions su ON su.email = o.email AND su.lifted_at IS NULL "
      "WHERE o.id IN (" +
      placeholders(ids.size()) + ") ORDER BY o.id"));
  for (std::size_t i = 0; i < ids.size(); ++i) details->setUInt64(static_cast<int>(i + 1), ids[i]);
  std::unique_ptr<sql::ResultSet> rows(details->executeQuery());
  std::vector<ClaimedRecipient> claimed;
  claimed.reserve(ids.size());
  while (rows->next()) {
    ClaimedRecipient recipient;
    recipient.outbox_id = rows->getUInt64(1);
    recipient.job_id = job_id;
    recipient.email = rows->getString(2).asStdString();
    recipient.attempts = rows->getUInt(3);
    recipient.first_name = rows->getString(4).asStdString();
    recipient.last_name = rows->getString(5).asStdString();
    recipient.account_number = rows->getString(6).asStdString();
    recipient.account_name = rows->getString(7).asStdString();
    recipient.division_name = rows->getString(8).asStdString();
    if (!rows->isNull(9)) recipient.portal_status = stored_enum(*rows, 9, parse_portal_status, "portal_users.status");
    recipient.suppressed = rows->getBoolean(10);
    claimed.push_back(std::move(recipient));
  }
  return claimed;
}

void create_invites(sql::Connection& connection, std::vector<ClaimedRecipient>& recipients,
                    const std::vector<security::TokenHash>& token_hashes, std::uint64_t job_id, int invite_ttl_days) {
  if (recipients.empty()) return;
  const std::size_t n = recipients.size();
  db::Transaction transaction(connection);
  {
    std::string query = "INSERT INTO portal_users (email, status, last_invited_at) VALUES ";
    query += placeholders(n, "(?, 'invited', UTC_TIMESTAMP())");
    query += " ON DUPLICATE KEY UPDATE last_invited_at = VALUES(last_invited_at)";
    std::unique_ptr<sql::PreparedStatement> users(connection.prepareStatement(query));
    for (std::size_t i = 0; i < n; ++i) users->setString(static_cast<int>(i + 1), recipients[i].email);
    users->executeUpdate();
  }
  std::map<std::string, std::uint64_t> user_ids;
  {
    std::unique_ptr<sql::PreparedStatement> users(
        connection.prepareStatement("SELECT id, email FROM portal_users WHERE email IN (" + placeholders(n) + ")"));
    for (std::size_t i = 0; i < n; ++i) users->setString(static_cast<int>(i + 1), recipients[i].email);
    std::unique_ptr<sql::ResultSet> rows(users->executeQuery());
    while (rows->next()) user_ids[rows->getString(2).asStdString()] = rows->getUInt64(1);
  }
  {
    std::unique_ptr<sql::PreparedStatement> revoke(connection.prepareStatement(
        "UPDATE portal_invites SET revoked_at = UTC_TIMESTAMP() WHERE accepted_at IS NULL AND revoked_at IS NULL "
        "AND portal_user_id IN (" +
        placeholders(n) + ")"));
    for (std::size_t i = 0; i < n; ++i) revoke->setUInt64(static_cast<int>(i + 1), user_ids.at(recipients[i].email));
    revoke->executeUpdate();
  }
  {
    std::unique_ptr<sql::PreparedStatement> invites(connection.prepareStatement(
        "INSERT INTO portal_invites (portal_user_id, token_hash, created_at, expires_at, job_id) VALUES " +
        placeholders(n, "(?, UNHEX(?), UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? DAY, ?)")));
    for (std::size_t i = 0; i < n; ++i) {
      const int base = static_cast<int>(4 * i);
      invites->setUInt64(base + 1, user_ids.at(recipients[i].email));
      invites->setString(base + 2, security::to_hex(token_hashes[i]));
      invites->setInt(base + 3, invite_ttl_days);
      invites->setUInt64(base + 4, job_id);
    }
    invites->executeUpdate();
  }
  std::unique_ptr<sql::PreparedStatement> ids(
      connection.prepareStatement("SELECT id, LOWER(HEX(token_hash)) FROM portal_invites WHERE token_hash IN (" +
                                  placeholders(n, "UNHEX(?)") + ")"));
  for (std::size_t i = 0; i < n; ++i) ids->setString(static_cast<int>(i + 1), security::to_hex(token_hashes[i]));
  std::unique_ptr<sql::ResultSet> rows(ids->executeQuery());
  std::map<std::string, std::uint64_t> by_hash;
  while (rows->next()) by_hash[rows->getString(2).asStdString()] = rows->getUInt64(1);
  for (std::size_t i = 0; i < n; ++i) recipients[i].invite_id = by_hash.at(security::to_hex(token_hashes[i]));
  transaction.commit();
}

SentRecorder::SentRecorder(sql::Connection& connection) : connection_(connection) {}

SentRecorder::~SentRecorder() = default;

sql::PreparedStatement& SentRecorder::statement_for(std::size_t count) {
  auto& statement = by_count_[count];
  if (!statement) {
    std::string invite_ids = "CASE id";
    for (std::size_t i = 0; i < count; ++i) invite_ids += " WHEN ? THEN ?";
    statement.reset(connection_.prepareStatement(
        "UPDATE send_outbox SET status = 'sent', sent_at = UTC_TIMESTAMP(3), attempts = attempts + 1, invite_id = " +
        invite_ids +
        " END, last_error = NULL, claimed_by = NULL "
        "WHERE claimed_by = ? AND status = 'sending' AND id IN (" +
        placeholders(count) + ")"));
  }
  return *statement;
}

std::size_t SentRecorder::record(const std::vector<SentMessage>& messages, const std::string& instance_id) {
  if (messages.empty()) return 0;
  auto& statement = statement_for(messages.size());
  int index = 1;
  for (const auto& message : messages) {
    statement.setUInt64(index++, message.outbox_id);
    statement.setUInt64(index++, message.invite_id);
  }
  statement.setString(index++, instance_id);
  for (const auto& message : messages) statement.setUInt64(index++, message.outbox_id);
  return static_cast<std::size_t>(statement.executeUpdate());
}

void record_retry(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& instance_id,
                  const std::string& detail, std::chrono::seconds retry_after, std::uint32_t max_attempts) {
  if (recipient.attempts + 1 >= max_attempts) {
    record_failed(connection, recipient, instance_id,
                  clipped(detail + " (gave up after " + std::to_string(max_attempts) + " attempts)"));
    return;
  }
  update_claimed(connection,
                 "status = 'pending', attempts = attempts + 1, last_error = ?, next_attempt_at = UTC_TIMESTAMP(3) + "
                 "INTERVAL " +
                     std::to_string(retry_after.count()) + " SECOND",
                 recipient, instance_id, clipped(detail));
}

void record_failed(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& instance_id,
                   const std::string& detail) {
  update_claimed(connection, "status = 'failed', attempts = attempts + 1, last_error = ?", recipient, instance_id,
                 clipped(detail));
}

void record_skipped(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& instance_id,
                    const std::string& reason) {
  update_claimed(connection, "status = 'skipped', last_error = ?", recipient, instance_id, clipped(reason));
}

void release(sql::Connection& connection, const std::vector<ClaimedRecipient>& recipients,
             const std::string& instance_id) {
  if (recipients.empty()) return;
  std::vector<std::uint64_t> outbox_ids, invite_ids;
  for (const auto& recipient : recipients) {
    outbox_ids.push_back(recipient.outbox_id);
    if (recipient.invite_id) invite_ids.push_back(recipient.invite_id);
  }
  revoke_unmailed(connection, invite_ids);
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      std::string("UPDATE send_outbox SET ") + unsent_status + " WHERE claimed_by = ? AND status = 'sending' " +
      "AND id IN (" + placeholders(outbox_ids.size()) + ")"));
  statement->setString(1, instance_id);
  for (std::size_t i = 0; i < outbox_ids.size(); ++i) statement->setUInt64(static_cast<int>(i + 2), outbox_ids[i]);
  statement->executeUpdate();
}

std::uint64_t recover_orphans(sql::Connection& connection, const std::string& own_instance_id) {
  // Per job through ix_send_outbox_claim (job_id, status): a join let the
  // optimizer read every row of a running job instead (measured: ~100k rows
  // per check). Completed jobs have no row being sent.
  std::vector<std::uint64_t> jobs;
  {
    std::unique_ptr<sql::PreparedStatement> statement(
        connection.prepareStatement("SELECT id FROM send_jobs WHERE status <> 'completed'"));
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    while (rows->next()) jobs.push_back(rows->getUInt64(1));
  }
  std::vector<std::string> owners;
  for (const auto job_id : jobs) {
    std::unique_ptr<sql::PreparedStatement> statement(
        connection.prepareStatement("SELECT DISTINCT claimed_by FROM send_outbox FORCE INDEX (ix_send_outbox_claim) "
                                    "WHERE job_id = ? AND status = 'sending' AND claimed_by IS NOT NULL"));
    statement->setUInt64(1, job_id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    while (rows->next()) {
      auto owner = rows->getString(1).asStdString();
      if (std::find(owners.begin(), owners.end(), owner) == owners.end()) owners.push_back(std::move(owner));
    }
  }
  std::uint64_t recovered = 0;
  for (const auto& owner : owners) {
    if (owner == own_instance_id) continue;
    std::unique_ptr<sql::PreparedStatement> free(connection.prepareStatement("SELECT IS_FREE_LOCK(?)"));
    free->setString(1, sender_lock_name(owner));
    std::unique_ptr<sql::ResultSet> row(free->executeQuery());
    if (!row->next() || row->isNull(1) || row->getInt(1) != 1) continue;  // alive (or unknown): leave it
    std::unique_ptr<sql::PreparedStatement> reset(connection.prepareStatement(
        std::string("UPDATE send_outbox SET ") + unsent_status + " WHERE status = 'sending' AND claimed_by = ?"));
    reset->setString(1, owner);
    recovered += static_cast<std::uint64_t>(reset->executeUpdate());
  }
  return recovered;
}

bool complete_job_if_done(sql::Connection& connection, std::uint64_t job_id) {
  db::Transaction transaction(connection);
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "UPDATE send_jobs SET status = 'completed', finished_at = UTC_TIMESTAMP(3) WHERE id = ? AND status = 'running' "
      "AND NOT EXISTS (SELECT 1 FROM send_outbox WHERE job_id = ? AND status IN ('pending', 'sending'))"));
  statement->setUInt64(1, job_id);
  statement->setUInt64(2, job_id);
  if (statement->executeUpdate() != 1) return false;
  freeze_job_counts(connection, job_id);
  transaction.commit();
  return true;
}

}  // namespace invites::repository
