#pragma once
// Polls the bounce mailbox (IMAP, libcurl) and records what comes back.
// Exactly once with several servers on one mailbox: each message is claimed
// by UID in the database before anything is done with it
// (repository/inbound_claims.hpp), its outcome is recorded under a key that
// makes a repeat a no-op, and only then is it deleted or flagged in the
// mailbox. Messages that cannot be read are flagged and kept for a person.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <cppconn/connection.h>

#include "mail/imap_mailbox.hpp"
#include "service/outcome_recorder.hpp"

namespace invites::service {

struct BouncePollerOptions {
  mail::ImapOptions imap;
  bool delete_processed = false;  // else: \Seen and the $InvitesProcessed keyword
  std::chrono::seconds interval{60};
  std::chrono::seconds claim_lease{300};  // a claim not done by then may be taken over
};

// What one pass did (for tests and logs).
struct PollSummary {
  std::size_t processed = 0;  // claimed and finished by this server
  std::size_t skipped = 0;    // claimed by another server
  std::size_t unreadable = 0;
};

class BouncePoller {
 public:
  using ConnectionFactory = std::function<std::unique_ptr<sql::Connection>()>;

  BouncePoller(ConnectionFactory connect, std::shared_ptr<const OutcomeRecorder> recorder, BouncePollerOptions options);
  ~BouncePoller();  // stop()
  BouncePoller(const BouncePoller&) = delete;
  BouncePoller& operator=(const BouncePoller&) = delete;

  void start();  // a pass now, then every interval
  void stop();
  // One pass on the calling thread. Throws on IMAP or database failures.
  PollSummary poll_once();

 private:
  void run();

  ConnectionFactory connect_;
  std::shared_ptr<const OutcomeRecorder> recorder_;
  BouncePollerOptions options_;
  std::unique_ptr<mail::ImapMailbox> mailbox_;  // kept between passes (one connection)
  std::unique_ptr<sql::Connection> connection_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace invites::service
