#include "repository/outbox.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "db/retry.hpp"
#include "db/statement.hpp"
#include "repository/send_jobs.hpp"
#include "repository/sender_leases.hpp"
#include "repository/stored_enums.hpp"

namespace invites::repository {
namespace {

constexpr std::size_t max_error_bytes = 2000;
// A row that goes back from 'sending' (released, or to be retried later)
// waits again, unless its job was cancelled meanwhile: then it is cancelled
// too, never left pending under a job that sends nothing more.
constexpr const char* pending_unless_cancelled =
    "status = IF((SELECT j.status FROM send_jobs j WHERE j.id = send_outbox.job_id) = 'cancelled', 'cancelled', "
    "'pending')";
const std::string unsent_status = std::string(pending_unless_cancelled) + ", claimed_by = NULL, lease_token = NULL";

// Due rows in retry order. SKIP LOCKED: several workers and servers claim
// side by side, each taking rows the others have not locked.
constexpr const char* select_due_rows =
    "SELECT id FROM send_outbox WHERE job_id = ? AND status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3) "
    "ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED";

// The merge data of claimed rows; followed by their ids: "?, ?, ...)".
constexpr const char* select_claimed_details =
    "SELECT o.id, o.email, o.attempts, COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), a.account_number, "
    "a.name, d.name, p.status, su.email IS NOT NULL FROM send_outbox o "
    "JOIN contacts c ON c.id = o.contact_id JOIN accounts a ON a.id = c.account_id "
    "JOIN divisions d ON d.id = a.division_id LEFT JOIN portal_users p ON p.email = o.email "
    "LEFT JOIN address_suppressions su ON su.email = o.email AND su.lifted_at IS NULL "
    "WHERE o.id IN (";

// "prefix ?, ?, ?)" with one placeholder per value: IN lists.
std::string in_list(const char* prefix, std::size_t count, std::string_view marker = "?") {
  return prefix + db::placeholders(count, marker) + ")";
}

// Invitations whose message did not go out open nothing: revoke them.
void revoke_unmailed(sql::Connection& connection, const std::vector<std::uint64_t>& invite_ids) {
  if (invite_ids.empty()) return;
  db::Statement(connection, in_list("UPDATE portal_invites SET revoked_at = UTC_TIMESTAMP() WHERE revoked_at IS NULL "
                                    "AND accepted_at IS NULL AND id IN (",
                                    invite_ids.size()))
      .bind_each(invite_ids)
      .update();
}

std::string clipped(const std::string& detail) {
  return detail.size() <= max_error_bytes ? detail : detail.substr(0, max_error_bytes);
}

// Runs an UPDATE of one outbox row that is still under the lease it was
// claimed under, and revokes its unmailed invitation. `set_values` are bound
// to the placeholders of `set_clause`, in order.
template <typename... SetValues>
void update_claimed(sql::Connection& connection, const std::string& set_clause, const ClaimedRecipient& recipient,
                    const SetValues&... set_values) {
  db::transact(connection, [&] {
    if (recipient.invite_id) revoke_unmailed(connection, {recipient.invite_id});
    db::update(connection,
               "UPDATE send_outbox SET " + set_clause +
                   ", claimed_by = NULL, lease_token = NULL WHERE id = ? AND lease_token = ? AND status = 'sending'",
               set_values..., recipient.outbox_id, recipient.lease_token);
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
  return db::query_column<std::uint64_t>(connection,
                                         "SELECT id FROM send_jobs WHERE status IN ('queued', 'running') ORDER BY id");
}

std::optional<JobSettings> job_settings(sql::Connection& connection, std::uint64_t job_id) {
  auto rows = db::query(
      connection, "SELECT status, from_email, template_json, invite_ttl_days FROM send_jobs WHERE id = ?", job_id);
  if (!rows.next()) return std::nullopt;
  JobSettings settings;
  settings.id = job_id;
  std::string template_json;
  rows.read_into(settings.status, settings.from_email, template_json, settings.invite_ttl_days);
  settings.message_template = job_template_from_json(template_json);
  return settings;
}

std::optional<JobStatus> job_status(sql::Connection& connection, std::uint64_t job_id) {
  return db::query_row<JobStatus>(connection, "SELECT status FROM send_jobs WHERE id = ?", job_id);
}

std::vector<ClaimedRecipient> claim_batch(sql::Connection& connection, std::uint64_t job_id,
                                          const std::string& instance_id, std::uint64_t lease_token,
                                          std::size_t limit) {
  const auto ids = db::transact(connection, [&] {
    confirm_sender_lease(connection, lease_token);
    auto ids = db::query_column<std::uint64_t>(connection, select_due_rows, job_id, limit);
    if (ids.empty()) return ids;
    db::Statement claim(connection,
                        "UPDATE send_outbox SET status = 'sending', claimed_by = ?, lease_token = ? "
                        "WHERE status = 'pending' AND id IN (" +
                            db::placeholders(ids.size()) + ")");
    if (claim.bind(instance_id, lease_token).bind_each(ids).update() == ids.size()) return ids;
    // On a Galera cluster another node's claim of some of these rows can be
    // applied here after they were selected: only the rows this UPDATE
    // changed are claimed (the commit certifies exactly those).
    db::Statement mine(connection,
                       "SELECT id FROM send_outbox WHERE status = 'sending' AND lease_token = ? AND id IN (" +
                           db::placeholders(ids.size()) + ")");
    auto rows = mine.bind(lease_token).bind_each(ids).query();
    std::vector<std::uint64_t> changed;
    while (rows.next()) changed.push_back(rows.read<std::uint64_t>());
    return changed;
  });
  if (ids.empty()) return {};
  db::retry_on_conflict([&] {
    db::update(connection,
               "UPDATE send_jobs SET status = 'running', started_at = COALESCE(started_at, UTC_TIMESTAMP(3)) "
               "WHERE id = ? AND status = 'queued'",
               job_id);
  });
  auto rows =
      db::Statement(connection, in_list(select_claimed_details, ids.size()) + " ORDER BY o.id").bind_each(ids).query();
  std::vector<ClaimedRecipient> claimed;
  claimed.reserve(ids.size());
  while (rows.next()) {
    ClaimedRecipient recipient;
    recipient.job_id = job_id;
    rows.read_into(recipient.outbox_id, recipient.email, recipient.attempts, recipient.first_name, recipient.last_name,
                   recipient.account_number, recipient.account_name, recipient.division_name, recipient.portal_status,
                   recipient.suppressed);
    recipient.lease_token = lease_token;
    claimed.push_back(std::move(recipient));
  }
  return claimed;
}

void create_invites(sql::Connection& connection, std::vector<ClaimedRecipient>& recipients,
                    const std::vector<security::TokenHash>& token_hashes, const InviteSettings& settings) {
  if (recipients.empty()) return;
  std::vector<std::string> emails;
  for (const auto& recipient : recipients) emails.push_back(recipient.email);
  std::sort(emails.begin(), emails.end());
  db::transact(connection, [&] {
    // A retried attempt starts over: nothing of a rolled-back one may stay.
    for (auto& recipient : recipients) {
      recipient.invited_by_job.reset();
      recipient.invite_id = 0;
    }
    // The upsert locks each address's portal user row until commit, in
    // address order (no deadlock between two batches): a concurrent batch of
    // another job with the same address waits here and then sees this one's
    // invitation. On a Galera cluster the later of two such commits fails
    // certification instead and is retried, and then sees the other one.
    db::Statement(connection, "INSERT INTO portal_users (email, status, last_invited_at) VALUES " +
                                  db::placeholders(emails.size(), "(?, 'invited', UTC_TIMESTAMP())") +
                                  " ON DUPLICATE KEY UPDATE last_invited_at = VALUES(last_invited_at)")
        .bind_each(emails)
        .update();
    std::map<std::string, std::uint64_t> user_ids;
    {
      db::Statement users(
          connection, "SELECT id, email FROM portal_users WHERE email IN (" + db::placeholders(emails.size()) + ")");
      auto rows = users.bind_each(emails).query();
      while (rows.next()) {
        const auto [id, email] = rows.read<std::uint64_t, std::string>();
        user_ids[email] = id;
      }
    }
    // Invitations of another job, in flight or sent within the window (not
    // revoked: a message that did not go out revokes its invitation).
    // Both statements on portal_invites read it by user through a named
    // index: while a job runs the table grows faster than InnoDB's statistics
    // follow, and with stale ones the optimizer scanned the whole table per
    // batch (measured: ~240 rows read per message in bench/send_bench.sh).
    std::map<std::uint64_t, std::uint64_t> invited_by;  // portal user id → the other job
    {
      db::Statement recent(connection,
                           "SELECT portal_user_id, MAX(job_id) FROM portal_invites FORCE INDEX "
                           "(ix_portal_invites_user_created) WHERE portal_user_id IN (" +
                               db::placeholders(emails.size()) +
                               ") AND job_id <> ? AND revoked_at IS NULL "
                               "AND created_at > UTC_TIMESTAMP() - INTERVAL ? MINUTE GROUP BY portal_user_id");
      for (const auto& email : emails) recent.bind(user_ids.at(email));
      auto rows = recent.bind(settings.job_id, settings.reinvite_after.count()).query();
      while (rows.next()) {
        const auto [user_id, job_id] = rows.read<std::uint64_t, std::uint64_t>();
        invited_by[user_id] = job_id;
      }
    }
    std::vector<std::size_t> mailed;  // indexes into recipients and token_hashes
    for (std::size_t i = 0; i < recipients.size(); ++i) {
      const auto other = invited_by.find(user_ids.at(recipients[i].email));
      if (other != invited_by.end()) {
        recipients[i].invited_by_job = other->second;
      } else {
        mailed.push_back(i);
      }
    }
    if (mailed.empty()) return;
    const std::size_t n = mailed.size();
    {
      db::Statement revoke(connection,
                           in_list("UPDATE portal_invites FORCE INDEX (ix_portal_invites_user_created) SET "
                                   "revoked_at = UTC_TIMESTAMP() WHERE accepted_at IS NULL AND revoked_at IS NULL "
                                   "AND portal_user_id IN (",
                                   n));
      for (const auto i : mailed) revoke.bind(user_ids.at(recipients[i].email));
      revoke.update();
    }
    std::vector<std::string> hashes;
    for (const auto i : mailed) hashes.push_back(security::to_hex(token_hashes[i]));
    {
      db::Statement invites(
          connection,
          "INSERT INTO portal_invites (portal_user_id, token_hash, created_at, expires_at, job_id) VALUES " +
              db::placeholders(n, "(?, UNHEX(?), UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? DAY, ?)"));
      for (std::size_t k = 0; k < n; ++k) {
        invites.bind(user_ids.at(recipients[mailed[k]].email), hashes[k], settings.ttl_days, settings.job_id);
      }
      invites.update();
    }
    db::Statement ids(connection, "SELECT id, LOWER(HEX(token_hash)) FROM portal_invites WHERE token_hash IN (" +
                                      db::placeholders(n, "UNHEX(?)") + ")");
    auto rows = ids.bind_each(hashes).query();
    std::map<std::string, std::uint64_t> by_hash;
    while (rows.next()) {
      const auto [id, hash] = rows.read<std::uint64_t, std::string>();
      by_hash[hash] = id;
    }
    for (std::size_t k = 0; k < n; ++k) recipients[mailed[k]].invite_id = by_hash.at(hashes[k]);
  });
}

SentRecorder::SentRecorder(sql::Connection& connection) : connection_(connection) {}

SentRecorder::~SentRecorder() = default;

db::Statement& SentRecorder::statement_for(std::size_t count) {
  auto found = by_count_.find(count);
  if (found == by_count_.end()) {
    std::string invite_ids = "CASE id";
    for (std::size_t i = 0; i < count; ++i) invite_ids += " WHEN ? THEN ?";
    found = by_count_
                .emplace(count, db::Statement(connection_,
                                              "UPDATE send_outbox SET status = 'sent', sent_at = UTC_TIMESTAMP(3), "
                                              "attempts = attempts + 1, invite_id = " +
                                                  invite_ids +
                                                  " END, last_error = NULL, claimed_by = NULL, lease_token = NULL "
                                                  "WHERE lease_token = ? AND status = 'sending' AND id IN (" +
                                                  db::placeholders(count) + ")"))
                .first;
  }
  return found->second;
}

std::size_t SentRecorder::record(const std::vector<SentMessage>& messages) {
  std::size_t recorded = 0;
  for (const auto& [lease_token, group] : by_lease(messages)) {
    auto& statement = statement_for(group.size());
    recorded += db::retry_on_conflict([&] {
      for (const auto* message : group) statement.bind(message->outbox_id, message->invite_id);
      statement.bind(lease_token);
      for (const auto* message : group) statement.bind(message->outbox_id);
      return static_cast<std::size_t>(statement.update());
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
  update_claimed(
      connection,
      std::string(pending_unless_cancelled) +
          ", attempts = attempts + 1, last_error = ?, next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND",
      recipient, clipped(detail), static_cast<std::int64_t>(retry_after.count()));
}

void record_failed(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& detail) {
  // The row keeps the (revoked) invitation of the sending that failed: a
  // report of that sending arriving later is the same outcome as its 5xx
  // (delivery_outcomes' key names the invitation).
  update_claimed(connection, "status = 'failed', attempts = attempts + 1, invite_id = NULLIF(?, 0), last_error = ?",
                 recipient, recipient.invite_id, clipped(detail));
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
      db::Statement statement(connection, std::string("UPDATE send_outbox SET ") + unsent_status +
                                              " WHERE lease_token = ? AND status = 'sending' AND id IN (" +
                                              db::placeholders(group.size()) + ")");
      statement.bind(lease_token);
      for (const auto* recipient : group) statement.bind(recipient->outbox_id);
      statement.update();
    }
  });
}

std::uint64_t recover_orphans(sql::Connection& connection, std::uint64_t own_lease_token) {
  // Per job through ix_send_outbox_claim (job_id, status): a join let the
  // optimizer read every row of a running job instead (measured: ~100k rows
  // per check). Completed jobs have no row being sent.
  std::map<std::uint64_t, std::vector<std::uint64_t>> jobs_by_lease;  // of rows being sent
  for (const auto job_id :
       db::query_column<std::uint64_t>(connection, "SELECT id FROM send_jobs WHERE status <> 'completed'")) {
    for (const auto lease_token : db::query_column<std::uint64_t>(
             connection,
             "SELECT DISTINCT lease_token FROM send_outbox FORCE INDEX (ix_send_outbox_claim) "
             "WHERE job_id = ? AND status = 'sending' AND lease_token IS NOT NULL",
             job_id)) {
      jobs_by_lease[lease_token].push_back(job_id);
    }
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
        rows += db::update(connection,
                           std::string("UPDATE send_outbox SET ") + unsent_status +
                               " WHERE job_id = ? AND status = 'sending' AND lease_token = ?",
                           job_id, lease_token);
      }
      return rows;
    });
  }
  // Leases that expired without rows (an instance that died idle).
  db::retry_on_conflict([&] {
    db::update(connection, "DELETE FROM sender_leases WHERE expires_at < UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE");
  });
  return recovered;
}

bool complete_job_if_done(sql::Connection& connection, std::uint64_t job_id) {
  return db::transact(connection, [&] {
    if (db::update(
            connection,
            "UPDATE send_jobs SET status = 'completed', finished_at = UTC_TIMESTAMP(3) WHERE id = ? AND status = "
            "'running' AND NOT EXISTS (SELECT 1 FROM send_outbox WHERE job_id = ? AND status IN ('pending', "
            "'sending'))",
            job_id, job_id) != 1) {
      return false;
    }
    freeze_job_counts(connection, job_id);
    return true;
  });
}

}  // namespace invites::repository
