#pragma once
// Turns SIGINT/SIGTERM into a call on an ordinary thread, where it is safe to
// log and to stop the server (neither is allowed in a signal handler).
#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace invites::cli {

class ShutdownSignals {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread, and so in every thread
  // it starts later: construct this before starting any. on_signal runs on
  // a thread of its own for the first signal (it may take a while: a
  // drain); a second signal exits immediately.
  explicit ShutdownSignals(std::function<void(int signal)> on_signal);
  // Stops the watcher and restores the signal mask.
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

 private:
  void watch();

  std::function<void(int)> on_signal_;
  sigset_t signals_;
  sigset_t previous_mask_;
  std::atomic<bool> closing_{false};
  std::thread watcher_;
  std::thread handler_;  // runs on_signal_
};

}  // namespace invites::cli
