#include "repository/send_jobs.hpp"

#include <algorithm>
#include <span>

#include <cppconn/exception.h>
#include <nlohmann/json.hpp>

#include "db/retry.hpp"
#include "db/statement.hpp"
#include "db/transaction.hpp"
#include "repository/outbox_fill.hpp"
#include "repository/stored_enums.hpp"

namespace invites::repository {
namespace {

constexpr int rate_window_seconds = 10;
constexpr int duplicate_key_error = 1062;
constexpr std::size_t rows_cancelled_at_once = 200;

// The job with its settings and a copy of its template, before its outbox
// rows (their number, the total, follows them).
constexpr const char* insert_job =
    "INSERT INTO send_jobs (created_by, from_email, template_id, template_json, filter_json, send_groups, digest, "
    "invite_ttl_days, idempotency_key, preview_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// The outbox rows of a job not yet sent, by status (see count_outbox).
constexpr const char* count_unsent_by_status =
    "SELECT status, COUNT(*) FROM send_outbox "
    "WHERE job_id = ? AND status IN ('pending', 'sending', 'failed', 'skipped', 'cancelled') GROUP BY status";

// Jobs as the API shows them; followed by a WHERE or ORDER BY clause.
constexpr const char* select_jobs =
    "SELECT j.id, j.status, j.pause_reason, DATE_FORMAT(j.created_at, '%Y-%m-%dT%H:%i:%sZ'), u.username, "
    "j.from_email, j.template_id, t.name, j.send_groups, j.total, j.sent, j.failed, j.skipped, j.cancelled, "
    "DATE_FORMAT(j.started_at, '%Y-%m-%dT%H:%i:%sZ'), DATE_FORMAT(j.finished_at, '%Y-%m-%dT%H:%i:%sZ') "
    "FROM send_jobs j JOIN staff_users u ON u.id = j.created_by JOIN notification_templates t ON t.id = j.template_id ";

// The final counts, written once a job ends (see migration 0006).
constexpr const char* freeze_counts =
    "UPDATE send_jobs j SET "
    "sent = (SELECT COUNT(*) FROM send_outbox WHERE job_id = j.id AND status = 'sent'), "
    "failed = (SELECT COUNT(*) FROM send_outbox WHERE job_id = j.id AND status = 'failed'), "
    "skipped = (SELECT COUNT(*) FROM send_outbox WHERE job_id = j.id AND status = 'skipped'), "
    "cancelled = (SELECT COUNT(*) FROM send_outbox WHERE job_id = j.id AND status = 'cancelled') "
    "WHERE j.id = ?";

// A page of a job's recipients, each with its latest delivery outcome:
// page_of_outbox_head, a filter on send_outbox (or nothing), then
// page_of_outbox_tail. The page's ids come from an index alone (the claim
// index with a status: InnoDB's secondary indexes carry the id), and only
// those rows are read: OFFSET then skips index entries, not rows. A page at
// the end of 100,000 failed recipients of a 1,000,000-row job takes ~70 ms
// this way, 2.5 s as a plain ORDER BY email LIMIT/OFFSET.
constexpr const char* page_of_outbox_head =
    "SELECT o.email, o.recipient_group, o.status, o.attempts, o.last_error,"
    " DATE_FORMAT(o.sent_at, '%Y-%m-%dT%H:%i:%sZ'), d.kind, d.diagnostic"
    " FROM (SELECT id FROM send_outbox WHERE job_id = ?";
constexpr const char* page_of_outbox_tail =
    " ORDER BY id LIMIT ? OFFSET ?) page"
    " JOIN send_outbox o ON o.id = page.id"
    " LEFT JOIN delivery_outcomes d ON d.id ="
    " (SELECT MAX(d2.id) FROM delivery_outcomes d2 WHERE d2.outbox_id = o.id)"
    " ORDER BY o.id";

std::string scoped_key(std::uint64_t user_id, const std::string& key) { return std::to_string(user_id) + ":" + key; }

std::optional<std::uint64_t> job_with_preview_or_key(sql::Connection& connection, const std::string& preview_id,
                                                     const std::optional<std::string>& scoped) {
  return db::query_row<std::uint64_t>(
      connection, "SELECT id FROM send_jobs WHERE preview_id = ? OR idempotency_key = ? ORDER BY id LIMIT 1",
      preview_id, scoped);
}

std::string joined_groups(const std::vector<Group>& groups) {
  std::string out;
  for (const auto group : groups) {
    if (!out.empty()) out += ',';
    out += group_name(group);
  }
  return out;
}

// Counts of a job that has not finished, from the outbox: only the rows not
// yet sent are counted (ranges of index job_id, status), the sent ones are
// the rest of the total, so a poll reads less and less as the job goes on.
void count_outbox(sql::Connection& connection, JobProgress& job) {
  auto rows = db::query(connection, count_unsent_by_status, job.id);
  job.sent = job.failed = job.pending = job.skipped = job.cancelled = 0;
  while (rows.next()) {
    const auto [status, count] = rows.read<OutboxStatus, std::uint64_t>();
    switch (status) {
      case OutboxStatus::failed:
        job.failed = count;
        break;
      case OutboxStatus::skipped:
        job.skipped = count;
        break;
      case OutboxStatus::cancelled:
        job.cancelled = count;
        break;
      case OutboxStatus::pending:
      case OutboxStatus::sending:
        job.pending += count;
        break;
      case OutboxStatus::sent:  // not selected: the rest of the total
        break;
    }
  }
  const std::uint64_t not_sent = job.pending + job.failed + job.skipped + job.cancelled;
  job.sent = job.total > not_sent ? job.total - not_sent : 0;
  const auto recent = db::query_row<std::uint64_t>(
      connection,
      "SELECT COUNT(*) FROM send_outbox WHERE job_id = ? AND sent_at >= UTC_TIMESTAMP(3) - INTERVAL " +
          std::to_string(rate_window_seconds) + " SECOND",
      job.id);
  job.rate_per_second = static_cast<double>(recent.value()) / rate_window_seconds;
  if (job.status == JobStatus::running && job.rate_per_second > 0) {
    job.eta_seconds = static_cast<double>(job.pending) / job.rate_per_second;
  }
}

std::vector<JobProgress> read_jobs(sql::Connection& connection, db::Rows rows) {
  std::vector<JobProgress> jobs;
  while (rows.next()) {
    JobProgress job;
    std::string groups;
    rows.read_into(job.id, job.status, job.pause_reason, job.created_at, job.created_by, job.from_email,
                   job.template_id, job.template_name, groups, job.total, job.sent, job.failed, job.skipped,
                   job.cancelled, job.started_at, job.finished_at);
    for (std::size_t start = 0; start < groups.size();) {
      const auto end = std::min(groups.find(',', start), groups.size());
      const std::string name = groups.substr(start, end - start);
      const auto group = parse_group(name);
      if (!group) throw db::UnknownStoredValue("send_jobs.send_groups: unknown group \"" + name + "\"");
      job.groups.push_back(*group);
      start = end + 1;
    }
    jobs.push_back(std::move(job));
  }
  for (auto& job : jobs) {
    // A cancelled job's last messages may still be finishing: count it live.
    if (job.status != JobStatus::completed) count_outbox(connection, job);
  }
  return jobs;
}

// The pending rows of a cancelled job become cancelled, a chunk at a time by
// primary key; returns how many. On a Galera cluster, while other servers
// still record the job's sent rows, applying such a record can meet a lock
// of an uncommitted chunk in the (job_id, status, ...) index and abort it
// (reproduced: a row of the job going from 'sending' to 'sent' waits for an
// open cancel of its pending rows). Small chunks are aborted less often; a
// chunk still aborted after its retries is left for housekeeping, which runs
// this again every few seconds (cancel_rows_left_pending).
std::uint64_t cancel_pending_rows(sql::Connection& connection, std::uint64_t job_id) {
  const auto ids = db::query_column<std::uint64_t>(
      connection, "SELECT id FROM send_outbox WHERE job_id = ? AND status = 'pending' ORDER BY id", job_id);
  std::uint64_t rows = 0;
  for (std::size_t start = 0; start < ids.size(); start += rows_cancelled_at_once) {
    const auto chunk = std::span(ids).subspan(start, std::min(rows_cancelled_at_once, ids.size() - start));
    try {
      rows += db::retry_on_conflict([&] {
        return db::Statement(connection,
                             "UPDATE send_outbox SET status = 'cancelled' WHERE status = 'pending' AND id IN (" +
                                 db::placeholders(chunk.size()) + ")")
            .bind_each(chunk)
            .update();
      });
    } catch (const sql::SQLException& e) {
      if (!db::is_transient_conflict(e.getErrorCode())) throw;
      break;
    }
  }
  return rows;
}

}  // namespace

void freeze_job_counts(sql::Connection& connection, std::uint64_t job_id) {
  db::update(connection, freeze_counts, job_id);
}

std::optional<std::uint64_t> job_id_for_key(sql::Connection& connection, std::uint64_t user_id,
                                            const std::string& key) {
  return job_with_preview_or_key(connection, {}, scoped_key(user_id, key));
}

CreatedJob create_job(sql::Connection& connection, const NewJob& job) {
  using Outcome = CreatedJob::Outcome;
  const std::optional<std::string> key =
      job.idempotency_key ? std::optional(scoped_key(job.created_by, *job.idempotency_key)) : std::nullopt;
  // On a Galera cluster a double-submit through two nodes ends in a
  // certification conflict for the later commit instead of a duplicate key:
  // it is retried and then finds the winner's job.
  return db::retry_on_conflict([&]() -> CreatedJob {
    // A job made already for this preview or key is the answer only if the
    // recipients are still what Load showed: the check runs as for a new
    // job, in a job row without preview or key that is rolled back.
    const auto existing = job_with_preview_or_key(connection, job.preview_id, key);
    try {
      db::Transaction transaction(connection);
      // The outbox is filled by INSERT ... SELECT over the billing tables:
      // READ COMMITTED makes that a plain consistent read, where REPEATABLE
      // READ would lock every contact and portal user it reads until commit.
      db::execute(connection, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
      db::update(connection, insert_job, job.created_by, job.from_email, job.message_template.id,
                 job_template_json(job.message_template), filter_to_json(job.filter).dump(), joined_groups(job.groups),
                 job.digest, static_cast<unsigned>(job.invite_ttl_days), existing ? std::nullopt : key,
                 existing ? std::nullopt : std::optional(job.preview_id));
      const std::uint64_t id = db::last_insert_id(connection);
      const FilledOutbox outbox = fill_outbox(connection, id, job.filter, job.groups);
      // Nothing is written unless a new job is sent as previewed (the transaction rolls back).
      if (outbox.digest != job.digest) return {Outcome::recipients_changed, 0, 0, outbox.digest};
      if (outbox.queued == 0) return {Outcome::no_recipients, 0, 0, outbox.digest};
      if (existing) return {Outcome::existing, *existing};
      db::update(connection, "UPDATE send_jobs SET total = ? WHERE id = ?", outbox.queued, id);
      transaction.commit();
      return {Outcome::created, id, outbox.queued, outbox.digest};
    } catch (const sql::SQLException& e) {
      // The same preview or key committed by a concurrent double-submit: that job wins.
      if (e.getErrorCode() == duplicate_key_error) {
        if (const auto existing = job_with_preview_or_key(connection, job.preview_id, key))
          return {Outcome::existing, *existing};
      }
      throw;
    }
  });
}

std::optional<JobProgress> find_job(sql::Connection& connection, std::uint64_t job_id) {
  auto jobs = read_jobs(connection, db::query(connection, std::string(select_jobs) + "WHERE j.id = ?", job_id));
  if (jobs.empty()) return std::nullopt;
  return std::move(jobs.front());
}

std::vector<JobProgress> list_jobs(sql::Connection& connection, std::size_t limit) {
  return read_jobs(connection, db::query(connection, std::string(select_jobs) + "ORDER BY j.id DESC LIMIT ?", limit));
}

// While a job runs, every server's claims write its rows: on a Galera cluster
// a state change made through another node can fail certification, and is
// retried like every other write (db/retry.hpp).
bool pause_job(sql::Connection& connection, std::uint64_t job_id, const std::string& reason) {
  return db::retry_on_conflict([&] {
    return db::update(connection,
                      "UPDATE send_jobs SET status = 'paused', pause_reason = ? WHERE id = ? AND status IN ('queued', "
                      "'running')",
                      reason, job_id) == 1;
  });
}

bool resume_job(sql::Connection& connection, std::uint64_t job_id) {
  return db::retry_on_conflict([&] {
    return db::update(connection,
                      "UPDATE send_jobs SET status = 'running', pause_reason = NULL, consecutive_failures = 0 "
                      "WHERE id = ? AND status = 'paused'",
                      job_id) == 1;
  });
}

// In two steps. The job row alone first: once a server sees it, it claims
// no more of the job's rows. Then the pending rows (cancel_pending_rows).
// As one transaction, the other Galera nodes' sent records aborted it 12
// times within 0.8 s (cluster_send_test). Rows the second step leaves
// pending (its server died, or other servers' writes kept aborting it) are
// cancelled by every server's housekeeping (cancel_rows_left_pending). No
// counts are frozen: the rows in hand at the cancel finish after it, so a
// cancelled job is always counted from the outbox (read_jobs).
bool cancel_job(sql::Connection& connection, std::uint64_t job_id) {
  const bool cancelled = db::retry_on_conflict([&] {
    return db::update(connection,
                      "UPDATE send_jobs SET status = 'cancelled', finished_at = UTC_TIMESTAMP(3) "
                      "WHERE id = ? AND status IN ('queued', 'running', 'paused')",
                      job_id) == 1;
  });
  if (cancelled) cancel_pending_rows(connection, job_id);
  return cancelled;
}

std::uint64_t cancel_rows_left_pending(sql::Connection& connection) {
  std::uint64_t rows = 0;
  for (const auto job_id : db::query_column<std::uint64_t>(
           connection,
           "SELECT j.id FROM send_jobs j WHERE j.status = 'cancelled' AND EXISTS (SELECT 1 FROM send_outbox o WHERE "
           "o.job_id = j.id AND o.status = 'pending')")) {
    rows += cancel_pending_rows(connection, job_id);
  }
  return rows;
}

std::uint64_t retry_failed(sql::Connection& connection, std::uint64_t job_id) {
  return db::transact(connection, [&]() -> std::uint64_t {
    // The job row first: a cancel at the same moment comes wholly before or after.
    const auto job =
        db::query_row<JobStatus>(connection, "SELECT status FROM send_jobs WHERE id = ? FOR UPDATE", job_id);
    if (!job || *job == JobStatus::cancelled) return 0;
    const std::uint64_t rows =
        db::update(connection,
                   "UPDATE send_outbox SET status = 'pending', attempts = 0, next_attempt_at = UTC_TIMESTAMP(3) "
                   "WHERE job_id = ? AND status = 'failed'",
                   job_id);
    if (rows > 0)
      db::update(connection,
                 "UPDATE send_jobs SET status = IF(status = 'paused', 'paused', 'running'), finished_at = NULL, "
                 "consecutive_failures = 0 WHERE id = ? AND status IN ('running', 'paused', 'completed')",
                 job_id);
    return rows;
  });
}

OutboxPage job_recipients(sql::Connection& connection, std::uint64_t job_id, const JobRecipientFilter& filter,
                          std::size_t offset, std::size_t limit) {
  // "pending" includes the rows being sent; any other status is bound.
  // Outcome filters name fixed kinds.
  const auto* outcome = std::get_if<ReportedOutcome>(&filter);
  const auto* status = std::get_if<OutboxStatus>(&filter);
  const bool bound_status = status && *status != OutboxStatus::pending;
  const std::string outcome_kinds =
      outcome && *outcome == ReportedOutcome::bounced ? "'hard_bounce', 'soft_bounce'" : "'complaint'";
  const std::string where = outcome ? " AND id IN (SELECT d.outbox_id FROM delivery_outcomes d WHERE d.job_id = "
                                      "send_outbox.job_id AND d.kind IN (" +
                                          outcome_kinds + "))"
                            : !status      ? std::string()
                            : bound_status ? " AND status = ?"
                                           : " AND status IN ('pending', 'sending')";
  const auto bind_filter = [&](db::Statement& statement) {
    statement.bind(job_id);
    if (bound_status) statement.bind(std::string(outbox_status_name(*status)));
  };
  OutboxPage page;
  {
    db::Statement count(connection, "SELECT COUNT(*) FROM send_outbox WHERE job_id = ?" + where);
    bind_filter(count);
    auto rows = count.query();
    rows.next();
    page.total = rows.read<std::uint64_t>();
  }
  // Queue order (outbox id).
  db::Statement select(connection, page_of_outbox_head + where + page_of_outbox_tail);
  bind_filter(select);
  select.bind(limit, offset);
  auto rows = select.query();
  while (rows.next()) {
    OutboxRow row;
    rows.read_into(row.email, row.group, row.status, row.attempts, row.last_error, row.sent_at, row.outcome,
                   row.outcome_diagnostic);
    page.rows.push_back(std::move(row));
  }
  return page;
}

}  // namespace invites::repository
