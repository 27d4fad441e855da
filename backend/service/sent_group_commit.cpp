#include "service/sent_group_commit.hpp"

#include <stdexcept>
#include <thread>

#include <cppconn/exception.h>
#include <spdlog/spdlog.h>

namespace invites::service {
namespace {

// Between attempts to reach the database again.
constexpr std::chrono::milliseconds reconnect_pause{250};

}  // namespace

SentGroupCommit::SentGroupCommit(ConnectionFactory connect, std::function<bool()> keep_trying)
    : connect_(std::move(connect)), keep_trying_(std::move(keep_trying)), thread_([this] { run(); }) {}
SentGroupCommit::~SentGroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  handed_in_.notify_all();
  thread_.join();
}

void SentGroupCommit::record(const repository::SentMessage& message) {
  Waiter waiter{message, {}};
  auto recorded = waiter.recorded.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(&waiter);
  }
  handed_in_.notify_one();
  const std::string error = recorded.get();
  if (!error.empty()) throw std::runtime_error("recording a sent message failed: " + error);
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
    // Moved out first: a waiter is gone as soon as its future is ready.
    for (Waiter* waiter : round) std::promise<std::string>(std::move(waiter->recorded)).set_value(error);
  }
}

std::string SentGroupCommit::record_round(const std::vector<Waiter*>& round) {
  std::vector<repository::SentMessage> messages;
  messages.reserve(round.size());
  for (const Waiter* waiter : round) messages.push_back(waiter->message);
  for (;;) {
    std::string error;
    try {
      if (!connection_) {
        connection_ = connect_();
        recorder_ = std::make_unique<repository::SentRecorder>(*connection_);
      }
      ++rounds_;
      // Conflicts are retried inside; what arrives here is a lost or refused connection.
      const std::size_t recorded = recorder_->record(messages);
      if (recorded < messages.size()) {
        spdlog::warn("sender: {} of {} outbox rows were taken over while they were sent", messages.size() - recorded,
                     messages.size());
      }
      return {};
    } catch (const sql::SQLException& e) {
      error = std::string(e.what()) + " (error " + std::to_string(e.getErrorCode()) + ")";
    } catch (const std::exception& e) {
      error = e.what();
    }
    recorder_.reset();
    connection_.reset();
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return error;
    }
    if (!keep_trying_()) return error;
    spdlog::warn("sender: recording sent messages failed ({}); trying again", error);
    std::this_thread::sleep_for(reconnect_pause);
  }
}

}  // namespace invites::service
