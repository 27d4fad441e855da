#pragma once
// Group commit of sent messages (docs/design.md §6, §8). A worker must have its
// message's 'sent' committed before it sends the next one, so a commit per
// message bounds each SMTP connection by the disk's flush time (a few ms).
// Here the workers of one process hand their accepted messages to one thread
// that records everything handed in meanwhile with one UPDATE and one
// commit, while each worker still waits for its own message: the window for
// a duplicate stays one message per connection, and the flushes are shared.
// A message accepted by the mail server must not be sent again, so when the
// database goes away (a Galera node failing over) the thread reconnects and
// tries again for as long as the caller's keep_trying() holds (the sender
// lease is still this process's: the rows are still its own).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <cppconn/connection.h>

#include "repository/outbox.hpp"

namespace invites::service {

class SentGroupCommit {
 public:
  using ConnectionFactory = std::function<std::unique_ptr<sql::Connection>()>;

  SentGroupCommit(ConnectionFactory connect, std::function<bool()> keep_trying);
  ~SentGroupCommit();  // records what was handed in, then stops
  SentGroupCommit(const SentGroupCommit&) = delete;
  SentGroupCommit& operator=(const SentGroupCommit&) = delete;

  // Returns once the message is committed as sent (or found taken over: its
  // lease ended). Throws std::runtime_error when it could not be recorded
  // while keep_trying() held: the row stays 'sending'; record it again later.
  void record(const repository::SentMessage& message);

  // Statements run so far (each with its one commit), for logs and tests.
  std::uint64_t rounds() const { return rounds_; }

 private:
  // Each waiter is woken alone, by its own promise: one condition for all
  // woke every waiting worker after each round, and those whose message was
  // in the next round contended for the mutex and slept again.
  struct Waiter {
    repository::SentMessage message;
    std::promise<std::string> recorded;  // the error; empty = recorded
  };
  void run();
  std::string record_round(const std::vector<Waiter*>& round);

  ConnectionFactory connect_;
  std::function<bool()> keep_trying_;
  std::unique_ptr<sql::Connection> connection_;         // of the recording thread
  std::unique_ptr<repository::SentRecorder> recorder_;  // on connection_
  std::mutex mutex_;
  std::condition_variable handed_in_;
  std::vector<Waiter*> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> rounds_{0};
  std::thread thread_;
};

}  // namespace invites::service
