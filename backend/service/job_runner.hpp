#pragma once
// The sender (SPEC §6): worker threads that drain the outbox of queued and
// running jobs, one message at a time per worker and per SMTP connection.
//
// Exactly-once as far as SMTP allows: a worker claims a small batch of rows
// (SELECT ... FOR UPDATE SKIP LOCKED, then status 'sending' with this
// instance's id), and after each message has its outcome committed before
// the next one (sent messages of all workers share commits: SentGroupCommit). Each instance (process) holds the named
// lock of repository/sender_lock.hpp on a connection of its own while it lives; when a process dies the lock is
// released with its connection, and any instance turns that process's 'sending' rows back to pending. The only window
// for a duplicate is a crash between the SMTP server's acceptance and the commit of that one row.
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
  std::string base_url;                           // for invite links
  // Each message's envelope sender and Message-ID name its outbox row (VERP,
  // SPEC §11) when set; else the envelope sender is the From address.
  std::shared_ptr<const VerpKey> verp;
  // Records a 5xx at RCPT or DATA as a hard bounce of the address when set.
  std::shared_ptr<const OutcomeRecorder> outcomes;
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

 private:
  class Worker;
  void housekeeping();
  bool wait_for_work(std::chrono::milliseconds timeout);

  ConnectionFactory connect_;
  TransportFactory transport_;
  JobRunnerOptions options_;
  std::string instance_id_;
  RateLimiter limiter_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> lock_held_{false};
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
