#include "http/connection_queue.hpp"

#include <openssl/crypto.h>

namespace invites::http {
namespace {

// Threads that answer 503, and how many connections may wait for them;
// past that the socket is closed unanswered (the last resort).
constexpr std::size_t refusing_threads = 2;
constexpr std::size_t max_refused_waiting = 1024;

thread_local bool refusing_thread = false;

}  // namespace

ConnectionQueue::ConnectionQueue(std::size_t workers, std::size_t max_waiting) : max_waiting_(max_waiting) {
  for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(waiting_, waiting_added_, false); });
  for (std::size_t i = 0; i < refusing_threads; ++i) {
    threads_.emplace_back([this] { work(refused_, refused_added_, true); });
  }
}

ConnectionQueue::~ConnectionQueue() {
  if (!threads_.empty()) shutdown();
}

bool ConnectionQueue::enqueue(std::function<void()> connection) {
  std::unique_lock lock(mutex_);
  if (waiting_.size() < max_waiting_) {
    waiting_.push_back(std::move(connection));
    lock.unlock();
    waiting_added_.notify_one();
  } else if (refused_.size() < max_refused_waiting) {
    refused_.push_back(std::move(connection));
    lock.unlock();
    refused_added_.notify_one();
  } else {
    return false;
  }
  return true;
}

void ConnectionQueue::shutdown() {
  {
    const std::lock_guard lock(mutex_);
    shutting_down_ = true;
  }
  waiting_added_.notify_all();
  refused_added_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

bool ConnectionQueue::refusing() { return refusing_thread; }

void ConnectionQueue::work(Jobs& jobs, std::condition_variable& added, bool refuse) {
  refusing_thread = refuse;
  for (;;) {
    std::function<void()> connection;
    {
      std::unique_lock lock(mutex_);
      added.wait(lock, [&] { return !jobs.empty() || shutting_down_; });
      if (jobs.empty()) break;
      connection = std::move(jobs.front());
      jobs.pop_front();
    }
    connection();
  }
  // As cpp-httplib's own pool: free this thread's OpenSSL state.
  OPENSSL_thread_stop();
}

}  // namespace invites::http
