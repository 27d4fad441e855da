#pragma once
// The sender (docs/design.md §6): worker threads that drain the outbox of queued and
// running jobs, one message at a time per worker and per SMTP connection.
//
// Exactly-once as far as SMTP allows: a worker claims a small batch of rows
// (SELECT ... FOR UPDATE SKIP LOCKED, then status 'sending' under this
// instance's sender lease), and after each message has its outcome committed
// before the next one (sent messages of all workers share commits:
// SentGroupCommit). Each instance (process) holds a lease in the database
// (repository/sender_leases.hpp), renewed every 2 s by its housekeeping
// thread; when an instance dies or is cut off, its lease expires and any
// instance turns its 'sending' rows back to pending. No server-local lock is
// involved, so this holds with several servers on several nodes of a Galera
// cluster (docs/design.md §10). An instance stops sending once, by its own clock, its
// lease may have expired, and every write of a claimed row is conditional on
// the lease's token. The only window for a duplicate is a crash (or a cut-off
// longer than the lease) between the SMTP server's acceptance and the commit
// of that one row.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <cppconn/connection.h>

#include "mail/transport.hpp"
#include "service/rate_limiter.hpp"
#include "service/sent_group_commit.hpp"

namespace invites::service {

class VerpKey;
class OutcomeRecorder;

struct JobRunnerOptions {
  std::size_t concurrency = 4;  // workers = SMTP connections
  double rate_per_second = 0;   // 0 = no limit
  // Rows a worker claims at once: a first claim takes the smallest, each
  // full claim after it twice as many, up to the largest. Large claims cost
  // the database less per message; small first ones let every worker (and
  // every server) take part in a small job.
  std::size_t smallest_batch = 10;
  std::size_t largest_batch = 200;
  std::uint32_t max_attempts = 8;                 // temporary failures before a recipient fails
  std::chrono::seconds retry_base{30};            // backoff: retry_base * 2^(attempt-1), at most 1 hour
  std::uint32_t pause_after_failures = 25;        // consecutive failures of a job before it pauses
  std::chrono::milliseconds poll_interval{1000};  // looking for work when idle
  std::chrono::minutes reinvite_after{60};        // another job's recent invitation: not mailed again
  std::string base_url;                           // for invite links
  // Each message's envelope sender and Message-ID name its outbox row (VERP,
  // docs/design.md §11) when set; else the envelope sender is the From address.
  std::shared_ptr<const VerpKey> verp;
  // Records a 5xx at RCPT or DATA as a hard bounce of the address when set.
  std::shared_ptr<const OutcomeRecorder> outcomes;
  // How long a sender lease lasts without renewal: how soon other servers
  // take over the rows of one that died, and longer than a database
  // failover (a Galera node's eviction takes a few seconds).
  std::chrono::seconds lease_ttl{15};
};

class JobRunner {
 public:
  using ConnectionFactory = std::function<std::unique_ptr<sql::Connection>()>;
  using TransportFactory = std::function<std::unique_ptr<mail::MailTransport>()>;

  JobRunner(ConnectionFactory connect, TransportFactory transport, JobRunnerOptions options);
  ~JobRunner();  // stop()
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  void start();
  // Workers finish the message in hand, put the rest of their batch back and exit.
  void stop();
  // A job was created, resumed or retried: look for work now, not at the next poll.
  void wake();
  // A job was paused or cancelled in this process: workers re-check before their next message.
  void job_changed();

  // Before start(): where invite links point (known only once the server has bound its port).
  void set_base_url(std::string base_url) { options_.base_url = std::move(base_url); }

  const std::string& instance_id() const { return instance_id_; }
  const JobRunnerOptions& options() const { return options_; }

  // A lease is held and, by this process's clock, cannot have expired yet.
  bool lease_usable() const;
  // The database took a lease renewal (a write) within the last few seconds, for /healthz/ready.
  bool database_writable() const;

 private:
  class Worker;
  using Clock = std::chrono::steady_clock;
  void housekeeping();
  void keep_lease(sql::Connection& connection, Clock::time_point attempt_started);
  bool wait_for_work(std::chrono::milliseconds timeout);

  ConnectionFactory connect_;
  TransportFactory transport_;
  JobRunnerOptions options_;
  std::string instance_id_;
  RateLimiter limiter_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> lease_token_{0};      // 0: none
  std::atomic<Clock::rep> lease_usable_until_{0};  // Clock ticks
  std::atomic<Clock::rep> last_renewal_{0};        // Clock ticks of the last renewal that succeeded
  std::atomic<std::uint64_t> control_epoch_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::uint64_t wake_count_ = 0;
  std::mutex failures_mutex_;
  std::map<std::uint64_t, std::uint32_t> consecutive_failures_;  // by job, this process
  std::unique_ptr<SentGroupCommit> sent_commit_;                 // while started
  std::vector<std::thread> threads_;
};

}  // namespace invites::service
