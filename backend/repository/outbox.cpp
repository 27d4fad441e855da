#include "repository/outbox.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <nlohmann/json.hpp>

#include "db/retry.hpp"
#include "repository/row_values.hpp"
#include "repository/send_jobs.hpp"
#include "repository/sender_leases.hpp"

namespace invites::repository {
namespace {

constexpr std::size_t max_error_bytes = 2000;
// A row that goes back from 'sending' waits again, unless its job was
// cancelled meanwhile: then it is cancelled too.
constexpr const char* unsent_status =
    "status = IF((SELECT j.status FROM send_jobs j WHERE j.id = send_outbox.job_id) = 'cancelled', 'cancelled', "
    "'pending'), claimed_by = NULL, lease_token = NULL";

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

// Runs an UPDATE of one outbox row that is still under the lease it was
// claimed under, and revokes its unmailed invitation.
void update_claimed(sql::Connection& connection, const std::string& set_clause, const ClaimedRecipient& recipient,
                    const std::string& text) {
  db::transact(connection, [&] {
    if (recipient.invite_id) revoke_unmailed(connection, {recipient.invite_id});
    std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
        "UPDATE send_outbox SET " + set_clause +
        ", claimed_by = NULL, lease_token = NULL WHERE id = ? AND lease_token = ? AND status = 'sending'"));
    statement->setString(1, text);
    statement->setUInt64(2, recipient.outbox_id);
    statement->setUInt64(3, recipient.lease_token);
    statement->executeUpdate();
  });
}

// The ids of `items` grouped by the lease token each was claimed under.
template <typename Item>
std::map<std::uint64_t, std::vector<const Item*>> by_lease(const std::vector<Item>& items) {
  std::map<std::uint64_t, std::vector<const Item*>> groups;
  for (const auto& item : items) groups[item.lease_token].push_back(&item);
  return groups;
}

}  // namespace

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
  settings.status = row->getString(1).asStdString();
  settings.from_email = row->getString(2).asStdString();
  settings.message_template = template_from_json(nlohmann::json::parse(row->getString(3).asStdString()));
  settings.invite_ttl_days = static_cast<int>(row->getUInt(4));
  return settings;
}

std::optional<std::string> job_status(sql::Connection& connection, std::uint64_t job_id) {
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("SELECT status FROM send_jobs WHERE id = ?"));
  statement->setUInt64(1, job_id);
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery());
  if (!row->next()) return std::nullopt;
  return row->getString(1).asStdString();
}

std::vector<ClaimedRecipient> claim_batch(sql::Connection& connection, std::uint64_t job_id,
                                          const std::string& instance_id, std::uint64_t lease_token,
                                          std::size_t limit) {
  const auto ids = db::transact(connection, [&] {
    std::vector<std::uint64_t> ids;
    confirm_sender_lease(connection, lease_token);
    std::unique_ptr<sql::PreparedStatement> select(connection.prepareStatement(
        "SELECT id FROM send_outbox WHERE job_id = ? AND status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3) "
        "ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED"));
    select->setUInt64(1, job_id);
    select->setUInt64(2, limit);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    while (rows->next()) ids.push_back(rows->getUInt64(1));
    if (ids.empty()) return ids;
    std::unique_ptr<sql::PreparedStatement> claim(
        connection.prepareStatement("UPDATE send_outbox SET status = 'sending', claimed_by = ?, lease_token = ? "
                                    "WHERE status = 'pending' AND id IN (" +
                                    placeholders(ids.size()) + ")"));
    claim->setString(1, instance_id);
    claim->setUInt64(2, lease_token);
    for (std::size_t i = 0; i < ids.size(); ++i) claim->setUInt64(static_cast<int>(i + 3), ids[i]);
    if (static_cast<std::size_t>(claim->executeUpdate()) == ids.size()) return ids;
    // On a Galera cluster another node's claim of some of these rows can be
    // applied here after they were selected: only the rows this UPDATE
    // changed are claimed (the commit certifies exactly those).
    std::unique_ptr<sql::PreparedStatement> mine(connection.prepareStatement(
        "SELECT id FROM send_outbox WHERE status = 'sending' AND lease_token = ? AND id IN (" +
        placeholders(ids.size()) + ")"));
    mine->setUInt64(1, lease_token);
    for (std::size_t i = 0; i < ids.size(); ++i) mine->setUInt64(static_cast<int>(i + 2), ids[i]);
    std::unique_ptr<sql::ResultSet> changed(mine->executeQuery());
    ids.clear();
    while (changed->next()) ids.push_back(changed->getUInt64(1));
    return ids;
  });
  if (ids.empty()) return {};
  db::retry_on_conflict([&] {
    std::unique_ptr<sql::PreparedStatement> start(connection.prepareStatement(
        "UPDATE send_jobs SET status = 'running', started_at = COALESCE(started_at, UTC_TIMESTAMP(3)) "
        "WHERE id = ? AND status = 'queued'"));
    start->setUInt64(1, job_id);
    start->executeUpdate();
  });
  std::unique_ptr<sql::PreparedStatement> details(connection.prepareStatement(
      "SELECT o.id, o.email, o.attempts, COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), a.account_number, "
      "a.name, d.name, p.status FROM send_outbox o "
      "JOIN contacts c ON c.id = o.contact_id JOIN accounts a ON a.id = c.account_id "
      "JOIN divisions d ON d.id = a.division_id LEFT JOIN portal_users p ON p.email = o.email "
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
    recipient.portal_status = nullable_string(*rows, 9);
    recipient.lease_token = lease_token;
    claimed.push_back(std::move(recipient));
  }
  return claimed;
}

void create_invites(sql::Connection& connection, std::vector<ClaimedRecipient>& recipients,
                    const std::vector<security::TokenHash>& token_hashes, std::uint64_t job_id, int invite_ttl_days) {
  if (recipients.empty()) return;
  const std::size_t n = recipients.size();
  db::transact(connection, [&] {
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
  });
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
        " END, last_error = NULL, claimed_by = NULL, lease_token = NULL "
        "WHERE lease_token = ? AND status = 'sending' AND id IN (" +
        placeholders(count) + ")"));
  }
  return *statement;
}

std::size_t SentRecorder::record(const std::vector<SentMessage>& messages) {
  std::size_t recorded = 0;
  for (const auto& [lease_token, group] : by_lease(messages)) {
    auto& statement = statement_for(group.size());
    recorded += db::retry_on_conflict([&] {
      int index = 1;
      for (const auto* message : group) {
        statement.setUInt64(index++, message->outbox_id);
        statement.setUInt64(index++, message->invite_id);
      }
      statement.setUInt64(index++, lease_token);
      for (const auto* message : group) statement.setUInt64(index++, message->outbox_id);
      return static_cast<std::size_t>(statement.executeUpdate());
    });
  }
  return recorded;
}

void record_retry(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& detail,
                  std::chrono::seconds retry_after, std::uint32_t max_attempts) {
  if (recipient.attempts + 1 >= max_attempts) {
    record_failed(connection, recipient,
                  clipped(detail + " (gave up after " + std::to_string(max_attempts) + " attempts)"));
    return;
  }
  update_claimed(connection,
                 "status = 'pending', attempts = attempts + 1, last_error = ?, next_attempt_at = UTC_TIMESTAMP(3) + "
                 "INTERVAL " +
                     std::to_string(retry_after.count()) + " SECOND",
                 recipient, clipped(detail));
}

void record_failed(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& detail) {
  update_claimed(connection, "status = 'failed', attempts = attempts + 1, last_error = ?", recipient, clipped(detail));
}

void record_skipped(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& reason) {
  update_claimed(connection, "status = 'skipped', last_error = ?", recipient, clipped(reason));
}

void release(sql::Connection& connection, const std::vector<ClaimedRecipient>& recipients) {
  if (recipients.empty()) return;
  db::transact(connection, [&] {
    std::vector<std::uint64_t> invite_ids;
    for (const auto& recipient : recipients) {
      if (recipient.invite_id) invite_ids.push_back(recipient.invite_id);
    }
    revoke_unmailed(connection, invite_ids);
    for (const auto& [lease_token, group] : by_lease(recipients)) {
      std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
          std::string("UPDATE send_outbox SET ") + unsent_status + " WHERE lease_token = ? AND status = 'sending' " +
          "AND id IN (" + placeholders(group.size()) + ")"));
      statement->setUInt64(1, lease_token);
      for (std::size_t i = 0; i < group.size(); ++i) statement->setUInt64(static_cast<int>(i + 2), group[i]->outbox_id);
      statement->executeUpdate();
    }
  });
}

std::uint64_t recover_orphans(sql::Connection& connection, std::uint64_t own_lease_token) {
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
  std::map<std::uint64_t, std::vector<std::uint64_t>> jobs_by_lease;  // of rows being sent
  for (const auto job_id : jobs) {
    std::unique_ptr<sql::PreparedStatement> statement(
        connection.prepareStatement("SELECT DISTINCT lease_token FROM send_outbox FORCE INDEX (ix_send_outbox_claim) "
                                    "WHERE job_id = ? AND status = 'sending' AND lease_token IS NOT NULL"));
    statement->setUInt64(1, job_id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    while (rows->next()) jobs_by_lease[rows->getUInt64(1)].push_back(job_id);
  }
  std::uint64_t recovered = 0;
  for (const auto& [lease_token, lease_jobs] : jobs_by_lease) {
    if (lease_token == own_lease_token) continue;
    // Ending the lease and taking its rows back in one transaction: a
    // renewal or a claim under it on another node conflicts with it, so
    // either the lease lives on or its rows are taken back, never both.
    recovered += db::transact(connection, [&] {
      std::uint64_t rows = 0;
      if (!end_sender_lease_if_expired(connection, lease_token)) return rows;  // alive: leave it
      for (const auto job_id : lease_jobs) {
        std::unique_ptr<sql::PreparedStatement> reset(
            connection.prepareStatement(std::string("UPDATE send_outbox SET ") + unsent_status +
                                        " WHERE job_id = ? AND status = 'sending' AND lease_token = ?"));
        reset->setUInt64(1, job_id);
        reset->setUInt64(2, lease_token);
        rows += static_cast<std::uint64_t>(reset->executeUpdate());
      }
      return rows;
    });
  }
  // Leases that expired without rows (an instance that died idle).
  db::retry_on_conflict([&] {
    std::unique_ptr<sql::PreparedStatement> purge(connection.prepareStatement(
        "DELETE FROM sender_leases WHERE expires_at < UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE"));
    purge->executeUpdate();
  });
  return recovered;
}

bool complete_job_if_done(sql::Connection& connection, std::uint64_t job_id) {
  return db::transact(connection, [&] {
    std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
        "UPDATE send_jobs SET status = 'completed', finished_at = UTC_TIMESTAMP(3) WHERE id = ? AND status = "
        "'running' AND NOT EXISTS (SELECT 1 FROM send_outbox WHERE job_id = ? AND status IN ('pending', 'sending'))"));
    statement->setUInt64(1, job_id);
    statement->setUInt64(2, job_id);
    if (statement->executeUpdate() != 1) return false;
    freeze_job_counts(connection, job_id);
    return true;
  });
}

}  // namespace invites::repository
