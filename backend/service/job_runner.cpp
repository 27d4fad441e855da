#include "service/job_runner.hpp"

#include <algorithm>
#include <ctime>
#include <optional>

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "db/connection.hpp"
#include "repository/audit_log.hpp"
#include "repository/outbox.hpp"
#include "repository/send_jobs.hpp"
#include "security/tokens.hpp"
#include "service/invitation.hpp"
#include "service/preview_store.hpp"

namespace invites::service {
namespace {

constexpr std::chrono::seconds housekeeping_interval{2};
constexpr std::chrono::seconds longest_retry{3600};
constexpr std::chrono::seconds longest_connection_backoff{30};

bool sql_ok(const std::function<void()>& step, const char* what) {
  try {
    step();
    return true;
  } catch (const sql::SQLException& e) {
    spdlog::warn("sender: {} failed: {} (error {})", what, e.what(), e.getErrorCode());
  } catch (const std::exception& e) {
    spdlog::warn("sender: {} failed: {}", what, e.what());
  }
  return false;
}

std::chrono::seconds retry_delay(std::chrono::seconds base, std::uint32_t attempt) {
  auto delay = base;
  for (std::uint32_t i = 1; i < attempt && delay < longest_retry; ++i) delay *= 2;
  return std::min(delay, longest_retry);
}

}  // namespace

// One worker: its own database connection and mail transport (one SMTP connection).
class JobRunner::Worker {
 public:
  explicit Worker(JobRunner& runner) : runner_(runner) {}

  void run() {
    while (!runner_.stopping_) {
      bool worked = false;
      if (runner_.lock_held_ && ensure_connected()) {
        try {
          worked = work_once();
        } catch (const sql::SQLException& e) {
          spdlog::warn("sender: database error: {} (error {}); reconnecting", e.what(), e.getErrorCode());
          connection_.reset();
        } catch (const std::exception& e) {
          spdlog::error("sender: {}", e.what());
        }
        put_back_unsent();
      }
      if (!worked) runner_.wait_for_work(runner_.options_.poll_interval);
    }
  }

 private:
  bool ensure_connected() {
    if (connection_) return true;
    return sql_ok(
        [&] {
          connection_ = runner_.connect_();
          // Claims must not take gap locks: each worker only locks the rows it takes.
          db::execute(*connection_, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
        },
        "connecting");
  }

  // One batch of one job; false when there was nothing to do.
  bool work_once() {
    for (const auto job_id : repository::active_job_ids(*connection_)) {
      if (runner_.stopping_) return false;
      in_hand_ = repository::claim_batch(*connection_, job_id, runner_.instance_id_, runner_.options_.batch_size);
      if (in_hand_.empty()) {
        if (repository::complete_job_if_done(*connection_, job_id)) {
          spdlog::info("sender: job {} completed", job_id);
          repository::record(*connection_, std::nullopt, "job.completed", {{"job_id", job_id}});
        }
        continue;
      }
      const auto settings = repository::job_settings(*connection_, job_id);
      if (!settings) continue;
      send_batch(*settings);
      return true;
    }
    return false;
  }

  void send_batch(const repository::JobSettings& job) {
    std::uint64_t epoch = runner_.control_epoch_;
    while (!in_hand_.empty()) {
      if (runner_.stopping_) return;
      if (epoch != runner_.control_epoch_) {
        epoch = runner_.control_epoch_;
        const auto status = repository::job_status(*connection_, job.id);
        if (status != "running") return;  // paused or cancelled: the rest goes back
      }
      const auto recipient = in_hand_.front();
      send_one(job, recipient);
      in_hand_.erase(in_hand_.begin());
    }
  }

  void send_one(const repository::JobSettings& job, const repository::ClaimedRecipient& recipient) {
    if (recipient.portal_status && *recipient.portal_status != "invited") {
      repository::record_skipped(*connection_, recipient, runner_.instance_id_,
                                 "the address has an " + *recipient.portal_status + " portal account since Load");
      return;
    }
    const auto token = security::random_token();
    const std::time_t now = std::time(nullptr);
    const auto values = merge_values(
        {recipient.email, recipient.first_name, recipient.last_name, recipient.account_number,
         recipient.account_name, recipient.division_name},
        job.from_email, invite_url(runner_.options_.base_url, security::to_base64url(token)),
        invite_expiry_date(now, job.invite_ttl_days));
    std::string message;
    try {
      message = build_invitation(job.message_template.text, values, job.from_email, recipient.email, now);
    } catch (const std::exception& e) {
      // A template or address that cannot make a message fails this recipient, not the job.
      repository::record_failed(*connection_, recipient, runner_.instance_id_, std::string("not sent: ") + e.what());
      count_failure(job.id, e.what());
      return;
    }
    runner_.limiter_.acquire();
    if (!transport_) transport_ = runner_.transport_();
    const auto result = transport_->deliver(job.from_email, recipient.email, message);
    switch (result.outcome) {
      case mail::DeliveryOutcome::delivered:
        if (!repository::record_sent(*connection_, recipient, runner_.instance_id_, security::hash_token(token),
                                     job.invite_ttl_days)) {
          spdlog::warn("sender: outbox row {} was taken over while it was sent", recipient.outbox_id);
        }
        connection_backoff_ = std::chrono::seconds(0);
        reset_failures(job.id);
        break;
      case mail::DeliveryOutcome::temporary_failure:
        repository::record_retry(*connection_, recipient, runner_.instance_id_, result.detail,
                                 retry_delay(runner_.options_.retry_base, recipient.attempts + 1),
                                 runner_.options_.max_attempts);
        count_failure(job.id, result.detail);
        if (result.connection_problem) back_off(result.detail);
        break;
      case mail::DeliveryOutcome::permanent_failure:
        repository::record_failed(*connection_, recipient, runner_.instance_id_, result.detail);
        count_failure(job.id, result.detail);
        break;
    }
  }

  // The mail server is unreachable: this worker waits (1 s, 2 s, ... 30 s)
  // instead of failing the rest of its batch within milliseconds.
  void back_off(const std::string& detail) {
    connection_backoff_ = std::min(longest_connection_backoff,
                                   connection_backoff_.count() == 0 ? std::chrono::seconds(1) : connection_backoff_ * 2);
    spdlog::warn("sender: mail server problem ({}); this worker waits {} s", detail, connection_backoff_.count());
    put_back_unsent();
    runner_.wait_for_work(connection_backoff_);
  }

  void count_failure(std::uint64_t job_id, const std::string& detail) {
    std::uint32_t failures;
    {
      std::lock_guard lock(runner_.failures_mutex_);
      failures = ++runner_.consecutive_failures_[job_id];
    }
    if (failures < runner_.options_.pause_after_failures) return;
    reset_failures(job_id);
    const std::string reason = "paused after " + std::to_string(failures) + " failures in a row; last: " + detail;
    if (repository::pause_job(*connection_, job_id, reason.substr(0, 255))) {
      spdlog::warn("sender: job {} {}", job_id, reason);
      repository::record(*connection_, std::nullopt, "job.auto_paused", {{"job_id", job_id}, {"reason", reason}});
      runner_.job_changed();
    }
  }

  void reset_failures(std::uint64_t job_id) {
    std::lock_guard lock(runner_.failures_mutex_);
    runner_.consecutive_failures_[job_id] = 0;
  }

  void put_back_unsent() {
    if (in_hand_.empty()) return;
    std::vector<std::uint64_t> ids;
    for (const auto& recipient : in_hand_) ids.push_back(recipient.outbox_id);
    in_hand_.clear();
    if (!ensure_connected()) return;  // the rows stay 'sending' until the database is back; see below
    if (!sql_ok([&] { repository::release(*connection_, ids, runner_.instance_id_); }, "putting rows back")) {
      connection_.reset();
    }
  }

  JobRunner& runner_;
  std::unique_ptr<sql::Connection> connection_;
  std::unique_ptr<mail::MailTransport> transport_;
  std::vector<repository::ClaimedRecipient> in_hand_;
  std::chrono::seconds connection_backoff_{0};
};

JobRunner::JobRunner(ConnectionFactory connect, TransportFactory transport, JobRunnerOptions options)
    : connect_(std::move(connect)),
      transport_(std::move(transport)),
      options_(std::move(options)),
      instance_id_(random_hex_id()),
      limiter_(options_.rate_per_second) {}

JobRunner::~JobRunner() { stop(); }

void JobRunner::start() {
  threads_.emplace_back([this] { housekeeping(); });
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.concurrency); ++i) {
    threads_.emplace_back([this] { Worker(*this).run(); });
  }
}

void JobRunner::stop() {
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    ++wake_count_;
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void JobRunner::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wake_count_;
  }
  wake_.notify_all();
}

void JobRunner::job_changed() { ++control_epoch_; }

bool JobRunner::wait_for_work(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const auto seen = wake_count_;
  return wake_.wait_for(lock, timeout, [&] { return stopping_ || wake_count_ != seen; });
}

// Holds this instance's lock (re-taking it after a lost connection) and
// returns the rows of dead instances to pending.
void JobRunner::housekeeping() {
  std::unique_ptr<sql::Connection> connection;
  const std::string lock_name = repository::sender_lock_name(instance_id_);
  while (!stopping_) {
    const bool ok = sql_ok(
        [&] {
          if (!connection) connection = connect_();
          std::unique_ptr<sql::PreparedStatement> check(
              connection->prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()"));
          check->setString(1, lock_name);
          std::unique_ptr<sql::ResultSet> held(check->executeQuery());
          if (!held->next() || held->isNull(1) || held->getInt(1) != 1) {
            std::unique_ptr<sql::PreparedStatement> take(connection->prepareStatement("SELECT GET_LOCK(?, 0)"));
            take->setString(1, lock_name);
            std::unique_ptr<sql::ResultSet> taken(take->executeQuery());
            if (!taken->next() || taken->getInt(1) != 1) throw std::runtime_error("cannot take the sender lock");
          }
          if (!lock_held_.exchange(true)) wake();
          if (const auto recovered = repository::recover_orphans(*connection, instance_id_)) {
            spdlog::info("sender: {} recipients of a stopped server are pending again", recovered);
            wake();
          }
        },
        "holding the sender lock");
    if (!ok) {
      lock_held_ = false;
      connection.reset();
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, housekeeping_interval, [&] { return stopping_.load(); });
  }
  lock_held_ = false;
}

}  // namespace invites::service
