#pragma once
// cpp-httplib's task queue for accepted connections: `workers` threads
// serve them, at most `max_waiting` wait for a free worker, and a connection
// beyond that goes to a small separate pool that only answers 503 (so a
// client of a saturated server hears why instead of seeing a reset).
// cpp-httplib's own pool either queues without limit or closes the socket.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace invites::http {

class ConnectionQueue final : public httplib::TaskQueue {
 public:
  ConnectionQueue(std::size_t workers, std::size_t max_waiting);
  ~ConnectionQueue() override;

  bool enqueue(std::function<void()> connection) override;
  // Serves what is queued, then joins the threads.
  void shutdown() override;

  // True on a thread that serves a connection only to refuse it with 503.
  static bool refusing();

 private:
  using Jobs = std::deque<std::function<void()>>;
  void work(Jobs& jobs, std::condition_variable& added, bool refuse);

  std::size_t max_waiting_;
  std::mutex mutex_;
  Jobs waiting_;
  Jobs refused_;
  std::condition_variable waiting_added_;
  std::condition_variable refused_added_;
  bool shutting_down_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace invites::http
