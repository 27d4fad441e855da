#include "cli/shutdown_signals.hpp"

#include <pthread.h>

#include <cstdlib>

#include <spdlog/spdlog.h>

namespace invites::cli {

ShutdownSignals::ShutdownSignals(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_mask_);
  watcher_ = std::thread([this] { watch(); });
}

ShutdownSignals::~ShutdownSignals() {
  closing_ = true;
  pthread_kill(watcher_.native_handle(), SIGTERM);  // wakes sigwait(); ignored because closing_
  watcher_.join();
  if (handler_.joinable()) handler_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void ShutdownSignals::watch() {
  bool stopping = false;
  for (;;) {
    int signal = 0;
    if (sigwait(&signals_, &signal) != 0 || closing_) return;
    if (stopping) {
      spdlog::warn("second {} received: exiting without waiting", signal == SIGINT ? "SIGINT" : "SIGTERM");
      spdlog::default_logger()->flush();
      std::_Exit(128 + signal);
    }
    stopping = true;
    spdlog::info("{} received: shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
    handler_ = std::thread([this, signal] { on_signal_(signal); });
  }
}

}  // namespace invites::cli
