#include "service/sent_group_commit.hpp"

#include <stdexcept>

#include <cppconn/exception.h>
#include <spdlog/spdlog.h>

namespace invites::service {
namespace {

// A deadlock or lock wait timeout rolls the statement back: nothing was
// recorded, and the messages were already accepted, so try again rather
// than put them back to be sent twice.
constexpr int attempts_per_round = 3;
constexpr int er_lock_wait_timeout = 1205;
constexpr int er_lock_deadlock = 1213;

bool worth_retrying(const sql::SQLException& e) {
  return e.getErrorCode() == er_lock_deadlock || e.getErrorCode() == er_lock_wait_timeout;
}

}  // namespace

SentGroupCommit::SentGroupCommit(ConnectionFactory connect, std::string instance_id)
    : connect_(std::move(connect)), instance_id_(std::move(instance_id)), thread_([this] { run(); }) {}

SentGroupCommit::~SentGroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  handed_in_.notify_all();
  thread_.join();
}

void SentGroupCommit::record(const repository::SentMessage& message) {
  Waiter waiter{message};
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(&waiter);
  }
  handed_in_.notify_one();
  std::unique_lock lock(mutex_);
  recorded_.wait(lock, [&] { return waiter.done; });
  if (!waiter.error.empty()) throw std::runtime_error("recording a sent message failed: " + waiter.error);
}

void SentGroupCommit::run() {
  for (;;) {
    std::vector<Waiter*> round;
    {
      std::unique_lock lock(mutex_);
      handed_in_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nobody waits
      round.swap(queue_);
    }
    const std::string error = record_round(round);
    {
      std::lock_guard lock(mutex_);
      for (Waiter* waiter : round) {
        waiter->error = error;
        waiter->done = true;
      }
    }
    recorded_.notify_all();
  }
}

std::string SentGroupCommit::record_round(const std::vector<Waiter*>& round) {
  std::vector<repository::SentMessage> messages;
  messages.reserve(round.size());
  for (const Waiter* waiter : round) messages.push_back(waiter->message);
  for (int attempt = 1;; ++attempt) {
    try {
      if (!connection_) {
        connection_ = connect_();
        recorder_ = std::make_unique<repository::SentRecorder>(*connection_);
      }
      ++rounds_;
      const std::size_t recorded = recorder_->record(messages, instance_id_);
      if (recorded < messages.size()) {
        spdlog::warn("sender: {} of {} outbox rows were taken over while they were sent", messages.size() - recorded,
                     messages.size());
      }
      return {};
    } catch (const sql::SQLException& e) {
      if (attempt < attempts_per_round && worth_retrying(e)) continue;
      recorder_.reset();
      connection_.reset();
      return std::string(e.what()) + " (error " + std::to_string(e.getErrorCode()) + ")";
    } catch (const std::exception& e) {
      recorder_.reset();
      connection_.reset();
      return e.what();
    }
  }
}

}  // namespace invites::service
