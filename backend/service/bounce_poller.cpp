#include "service/bounce_poller.hpp"

#include <spdlog/spdlog.h>

#include "mail/report_fields.hpp"
#include "repository/inbound_claims.hpp"
#include "security/tokens.hpp"

namespace invites::service {

BouncePoller::BouncePoller(ConnectionFactory connect, std::shared_ptr<const OutcomeRecorder> recorder,
                           BouncePollerOptions options)
    : connect_(std::move(connect)), recorder_(std::move(recorder)), options_(std::move(options)) {}

BouncePoller::~BouncePoller() { stop(); }

void BouncePoller::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void BouncePoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BouncePoller::run() {
  for (;;) {
    try {
      const PollSummary summary = poll_once();
      if (summary.processed + summary.unreadable > 0)
        spdlog::info("bounce mailbox: {} message(s) processed, {} unreadable, {} left to other servers",
                     summary.processed, summary.unreadable, summary.skipped);
    } catch (const std::exception& e) {
      spdlog::warn("bounce mailbox: {}; trying again in {} s", e.what(), options_.interval.count());
      mailbox_.reset();  // a fresh connection next time
      connection_.reset();
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) return;
  }
}

PollSummary BouncePoller::poll_once() {
  if (!mailbox_) mailbox_ = std::make_unique<mail::ImapMailbox>(options_.imap);
  if (!connection_) connection_ = connect_();
  PollSummary summary;
  const std::uint64_t uid_validity = mailbox_->uid_validity();
  for (const std::uint64_t uid : mailbox_->unprocessed_uids()) {
    const repository::MailboxMessage message{mailbox_->identity(), uid_validity, uid};
    const std::string token = security::to_hex(security::random_token()).substr(0, 32);
    const auto state = repository::claim_message(*connection_, message, token, options_.claim_lease);
    if (state == repository::ClaimState::taken) {
      ++summary.skipped;
      continue;
    }
    bool readable = true;
    if (state == repository::ClaimState::claimed) {
      std::string result;
      try {
        result = recorder_->record_mailbox_message(*connection_, mailbox_->fetch(uid));
      } catch (const mail::ReportError& e) {
        readable = false;
        result = std::string("unreadable: ") + e.what();
        spdlog::warn("bounce mailbox: message {} {}", uid, result);
      }
      repository::finish_claim(*connection_, message, token, result);
      ++(readable ? summary.processed : summary.unreadable);
    }
    // Done (now or before): out of the way. What could not be read stays for a
    // person, so only the pass that just read a message may delete it: a claim
    // found done (another server's, or ours before a crash) may have been
    // unreadable, and is only flagged.
    if (options_.delete_processed && state == repository::ClaimState::claimed && readable)
      mailbox_->remove(uid);
    else
      mailbox_->mark_processed(uid);
  }
  return summary;
}

}  // namespace invites::service
