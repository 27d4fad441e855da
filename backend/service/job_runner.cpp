#include "service/job_runner.hpp"

#include <algorithm>
#include <ctime>
#include <optional>

#include <cppconn/exception.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "db/connection.hpp"
#include "db/process_label.hpp"
#include "db/retry.hpp"
#include "db/session.hpp"
#include "repository/audit_log.hpp"
#include "repository/outbox.hpp"
#include "repository/send_jobs.hpp"
#include "repository/sender_leases.hpp"
#include "security/tokens.hpp"
#include "service/invitation.hpp"
#include "service/outcome_recorder.hpp"
#include "service/preview_store.hpp"
#include "service/verp_key.hpp"

namespace invites::service {
namespace {

constexpr std::chrono::seconds housekeeping_interval{2};
// A renewal this long ago or less means the database takes writes (/healthz/ready).
constexpr auto writable_window = 3 * housekeeping_interval;
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
      // What an earlier database failure left comes first: messages the mail
      // server accepted are recorded, unsent rows put back, before claiming more.
      if (runner_.lease_usable() && ensure_connected() && record_unrecorded()) {
        put_back_unsent();
        try {
          worked = work_once();
        } catch (const sql::SQLException& e) {
          spdlog::warn("sender: database error: {} (error {}); reconnecting", e.what(), e.getErrorCode());
          drop_connection();
        } catch (const repository::LeaseLost& e) {
          spdlog::warn("sender: {}; waiting for a new lease", e.what());
        } catch (const std::exception& e) {
          spdlog::error("sender: {}", e.what());
        }
        put_back_unsent();
      }
      if (backing_off_) {
        backing_off_ = false;
        runner_.wait_for_work(connection_backoff_);
      } else if (!worked) {
        runner_.wait_for_work(runner_.options_.poll_interval);
      }
    }
    record_unrecorded();  // a last chance before the lease is given up
  }

 private:
  bool ensure_connected() {
    if (connection_) return true;
    return sql_ok(
        [&] {
          connection_ = runner_.connect_();
          // Claims must not take gap locks: each worker only locks the rows it takes.
          db::use_read_committed(*connection_);
        },
        "connecting");
  }

  // One batch of one job; false when there was nothing to do.
  bool work_once() {
    for (const auto job_id : repository::active_job_ids(*connection_)) {
      if (runner_.stopping_) return false;
      in_hand_ = repository::claim_batch(*connection_, job_id, runner_.instance_id_, runner_.lease_token_, batch_size_);
      batch_size_ = in_hand_.size() == batch_size_ ? std::min(2 * batch_size_, runner_.options_.largest_batch)
                                                   : runner_.options_.smallest_batch;
      if (in_hand_.empty()) {
        if (repository::complete_job_if_done(*connection_, job_id)) {
          spdlog::info("sender: job {} completed", job_id);
          repository::record(*connection_, std::nullopt, "job.completed", {{"job_id", job_id}});
        }
        continue;
      }
      const auto settings = repository::job_settings(*connection_, job_id);
      if (!settings) continue;
      prepare_batch(*settings);
      send_batch(*settings);
      return true;
    }
    return false;
  }

  // Addresses that became active or disabled, or were suppressed, since Load
  // are skipped, and so are those another job invited moments ago; the
  // others get their token and their invitation row, all in one transaction.
  void prepare_batch(const repository::JobSettings& job) {
    std::vector<repository::ClaimedRecipient> to_send;
    for (auto& recipient : in_hand_) {
      if (recipient.portal_status && *recipient.portal_status != PortalStatus::invited) {
        repository::record_skipped(*connection_, recipient,
                                   "the address's portal account is " +
                                       std::string(portal_status_name(*recipient.portal_status)) +
                                       " (it changed after Load)");
      } else if (recipient.suppressed) {
        repository::record_skipped(*connection_, recipient,
                                   "the address bounced or complained after Load (suppressed)");
      } else {
        to_send.push_back(std::move(recipient));
      }
    }
    in_hand_ = std::move(to_send);
    tokens_.clear();
    std::vector<security::TokenHash> hashes;
    for (std::size_t i = 0; i < in_hand_.size(); ++i) {
      tokens_.push_back(security::random_token());
      hashes.push_back(security::hash_token(tokens_.back()));
    }
    repository::create_invites(*connection_, in_hand_, hashes,
                               {job.id, job.invite_ttl_days, runner_.options_.reinvite_after});
    // Another job invited these addresses moments ago: they are not mailed twice.
    std::vector<repository::ClaimedRecipient> mailed;
    std::vector<security::Token> mailed_tokens;
    for (std::size_t i = 0; i < in_hand_.size(); ++i) {
      if (const auto other = in_hand_[i].invited_by_job) {
        repository::record_skipped(*connection_, in_hand_[i],
                                   "skipped: invited moments ago by job #" + std::to_string(*other));
      } else {
        mailed.push_back(std::move(in_hand_[i]));
        mailed_tokens.push_back(tokens_[i]);
      }
    }
    in_hand_ = std::move(mailed);
    tokens_ = std::move(mailed_tokens);
  }

  void send_batch(const repository::JobSettings& job) {
    std::uint64_t epoch = runner_.control_epoch_;
    std::size_t handled = 0;  // recipients whose outcome is recorded
    // Whatever is left in hand when this returns or throws goes back
    // (put_back_unsent), and only that: putting back a recipient already
    // mailed would revoke the invitation in its message.
    const auto keep_unhandled = [&] {
      in_hand_.erase(in_hand_.begin(), in_hand_.begin() + static_cast<std::ptrdiff_t>(handled));
      tokens_.erase(tokens_.begin(), tokens_.begin() + static_cast<std::ptrdiff_t>(handled));
    };
    try {
      while (handled < in_hand_.size()) {
        // Rows of a lease that may have expired by now, or that was replaced,
        // may have been taken over: they are not ours to send.
        if (runner_.stopping_ || !runner_.lease_usable() || in_hand_[handled].lease_token != runner_.lease_token_) {
          return keep_unhandled();
        }
        if (epoch != runner_.control_epoch_) {
          epoch = runner_.control_epoch_;
          const auto status = repository::job_status(*connection_, job.id);
          if (status != JobStatus::running) return keep_unhandled();  // paused or cancelled
        }
        const bool go_on = send_one(job, in_hand_[handled], tokens_[handled]);
        ++handled;
        if (!go_on) return keep_unhandled();  // mail server unreachable, or the database
      }
    } catch (...) {
      keep_unhandled();
      throw;
    }
    in_hand_.clear();
    tokens_.clear();
  }

  // The job's template, parsed once per worker and job.
  CompiledTemplate& compiled_for(const repository::JobSettings& job) {
    if (!compiled_ || compiled_job_ != job.id) {
      compiled_.reset();
      compiled_ = std::make_unique<CompiledTemplate>(job.message_template.text);
      compiled_job_ = job.id;
    }
    return *compiled_;
  }

  // False when the mail server could not be reached (the batch stops and the
  // worker backs off) or an accepted message could not be recorded (it is
  // kept to be recorded later, never sent again; the batch stops).
  bool send_one(const repository::JobSettings& job, const repository::ClaimedRecipient& recipient,
                const security::Token& token) {
    const std::time_t now = std::time(nullptr);
    const auto values =
        merge_values({recipient.email, recipient.first_name, recipient.last_name, recipient.account_number,
                      recipient.account_name, recipient.division_name},
                     job.from_email, invite_url(runner_.options_.base_url, security::to_base64url(token)),
                     invite_expiry_date(now, job.invite_ttl_days));
    // With VERP, the envelope sender and Message-ID carry this row's sealed id; From stays the job's address.
    std::string envelope_from = job.from_email, message_id;
    if (runner_.options_.verp) {
      const auto verp = runner_.options_.verp->codec(*connection_);
      envelope_from = verp->address_for(recipient.outbox_id);
      message_id = verp->message_id_for(recipient.outbox_id);
    }
    std::string message;
    try {
      message = build_invitation(compiled_for(job), values, job.from_email, recipient.email, now, message_id);
    } catch (const std::exception& e) {
      // A template or address that cannot make a message fails this recipient, not the job.
      repository::record_failed(*connection_, recipient, std::string("not sent: ") + e.what());
      count_failure(job.id, e.what());
      return true;
    }
    runner_.limiter_.acquire();
    if (!transport_) transport_ = runner_.transport_();
    const auto result = transport_->deliver(envelope_from, recipient.email, message);
    switch (result.outcome) {
      case mail::DeliveryOutcome::delivered:
        connection_backoff_ = std::chrono::seconds(0);
        reset_failures(job.id);
        unrecorded_.push_back({recipient.outbox_id, recipient.invite_id, recipient.lease_token});
        if (!record_unrecorded()) return false;
        break;
      case mail::DeliveryOutcome::temporary_failure:
        repository::record_retry(*connection_, recipient, result.detail,
                                 retry_delay(runner_.options_.retry_base, recipient.attempts + 1),
                                 runner_.options_.max_attempts);
        count_failure(job.id, result.detail);
        if (result.connection_problem) {
          note_connection_problem(result.detail);
          return false;
        }
        break;
      case mail::DeliveryOutcome::permanent_failure:
        repository::record_failed(*connection_, recipient, result.detail);
        if (runner_.options_.outcomes && result.refuses_recipient())
          sql_ok(
              [&] {
                runner_.options_.outcomes->record_rejection(
                    *connection_, {recipient.outbox_id, recipient.job_id, recipient.email, recipient.invite_id},
                    result.detail);
              },
              "recording the rejection as a bounce");
        count_failure(job.id, result.detail);
        break;
    }
    return true;
  }

  // The mail server is unreachable: this worker waits (1 s, 2 s, ... 30 s,
  // in run()) instead of failing the rest of its batch within milliseconds.
  void note_connection_problem(const std::string& detail) {
    connection_backoff_ =
        std::min(longest_connection_backoff,
                 connection_backoff_.count() == 0 ? std::chrono::seconds(1) : connection_backoff_ * 2);
    backing_off_ = true;
    spdlog::warn("sender: mail server problem ({}); this worker waits {} s", detail, connection_backoff_.count());
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

  // Accepted messages not yet recorded as sent (the database was away):
  // true once none is left. Their rows stay 'sending' under this lease
  // meanwhile, so nobody sends them again while the lease lives.
  bool record_unrecorded() {
    while (!unrecorded_.empty()) {
      try {
        runner_.sent_commit_->record(unrecorded_.back());
      } catch (const std::exception& e) {
        spdlog::warn("sender: {} accepted message(s) wait to be recorded: {}", unrecorded_.size(), e.what());
        return false;
      }
      unrecorded_.pop_back();
    }
    return true;
  }

  // Rows in hand that were not handled go back to pending. Without the
  // database they are kept and put back at the next chance: this instance
  // lives on, so no other instance recovers them, and its own recovery
  // leaves them alone (they could be in a worker's hand).
  void put_back_unsent() {
    for (auto& recipient : in_hand_) unreleased_.push_back(std::move(recipient));
    in_hand_.clear();
    tokens_.clear();
    if (unreleased_.empty() || !ensure_connected()) return;
    if (sql_ok([&] { repository::release(*connection_, unreleased_); }, "putting rows back")) {
      unreleased_.clear();
    } else {
      drop_connection();
    }
  }

  void drop_connection() { connection_.reset(); }

  JobRunner& runner_;
  std::unique_ptr<sql::Connection> connection_;
  std::unique_ptr<mail::MailTransport> transport_;
  std::vector<repository::ClaimedRecipient> in_hand_;
  std::vector<security::Token> tokens_;                   // of in_hand_, index by index
  std::vector<repository::ClaimedRecipient> unreleased_;  // to put back once the database answers
  std::vector<repository::SentMessage> unrecorded_;       // accepted by the mail server, to record as sent
  std::unique_ptr<CompiledTemplate> compiled_;
  std::uint64_t compiled_job_ = 0;
  std::chrono::seconds connection_backoff_{0};
  bool backing_off_ = false;
  std::size_t batch_size_ = runner_.options_.smallest_batch;  // of the next claim
};

JobRunner::JobRunner(ConnectionFactory connect, TransportFactory transport, JobRunnerOptions options)
    : connect_(std::move(connect)),
      transport_(std::move(transport)),
      options_(std::move(options)),
      instance_id_(random_hex_id()),
      limiter_(options_.rate_per_second) {}

JobRunner::~JobRunner() { stop(); }

void JobRunner::start() {
  // Recording keeps trying while the rows are still this instance's.
  sent_commit_ = std::make_unique<SentGroupCommit>(connect_, [this] { return lease_usable(); });
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
  sent_commit_.reset();  // after the workers: they may wait for it
  // The workers have put their rows back: others need not wait for the lease to expire.
  if (const auto token = lease_token_.exchange(0)) {
    sql_ok(
        [&] {
          const auto connection = connect_();
          repository::give_up_sender_lease(*connection, token);
        },
        "giving up the sender lease");
  }
}

bool JobRunner::lease_usable() const {
  return lease_token_ != 0 && Clock::now().time_since_epoch().count() < lease_usable_until_;
}

bool JobRunner::database_writable() const {
  const auto last = Clock::time_point(Clock::duration(last_renewal_.load()));
  return last_renewal_ != 0 && Clock::now() - last < writable_window;
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

// Keeps this instance's lease (a new one when it was lost), returns the rows
// of instances whose leases are over to pending, and cancels what a cancel
// left pending.
void JobRunner::housekeeping() {
  std::unique_ptr<sql::Connection> connection;
  while (!stopping_) {
    const auto attempt_started = Clock::now();
    const bool ok = sql_ok(
        [&] {
          if (!connection) connection = connect_();
          keep_lease(*connection, attempt_started);
          if (const auto recovered = repository::recover_orphans(*connection, lease_token_)) {
            spdlog::info("sender: {} recipients of a stopped server are pending again", recovered);
            wake();
          }
          if (const auto cancelled = repository::cancel_rows_left_pending(*connection)) {
            spdlog::info("sender: {} recipients left pending under cancelled jobs are cancelled", cancelled);
          }
        },
        "renewing the sender lease");
    if (!ok) connection.reset();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, housekeeping_interval, [&] { return stopping_.load(); });
  }
}

void JobRunner::keep_lease(sql::Connection& connection, Clock::time_point attempt_started) {
  auto token = lease_token_.load();
  const bool renewed = token != 0 && db::retry_on_conflict([&] {
                         return repository::renew_sender_lease(connection, token, options_.lease_ttl);
                       });
  if (!renewed) {
    if (token != 0) spdlog::warn("sender: lease {} ended before it was renewed; taking a new one", token);
    token = db::retry_on_conflict([&] {
      return repository::take_sender_lease(connection, instance_id_, db::process_label(), options_.lease_ttl);
    });
    spdlog::info("sender: holding lease {}", token);
  }
  // The database's expiry is at least lease_ttl after attempt_started: by
  // this clock the lease is surely valid until then, less a margin for the
  // database nodes' clocks.
  const auto margin = std::max<std::chrono::seconds>(std::chrono::seconds(2), options_.lease_ttl / 5);
  lease_usable_until_ = (attempt_started + options_.lease_ttl - margin).time_since_epoch().count();
  last_renewal_ = Clock::now().time_since_epoch().count();
  if (lease_token_.exchange(token) != token) wake();
}

}  // namespace invites::service
