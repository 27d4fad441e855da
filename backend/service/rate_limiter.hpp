#pragma once
// Spaces message starts evenly to at most `per_second` across all workers of
// this process (--rate). 0 means no limit.
#include <chrono>
#include <mutex>
#include <thread>

namespace invites::service {

class RateLimiter {
 public:
  explicit RateLimiter(double per_second) : per_second_(per_second) {}

  // Waits for this caller's slot.
  void acquire() {
    if (per_second_ <= 0) return;
    const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / per_second_));
    std::chrono::steady_clock::time_point slot;
    {
      std::lock_guard lock(mutex_);
      const auto now = std::chrono::steady_clock::now();
      // An idle period does not build up credit for a burst.
      slot = next_ < now ? now : next_;
      next_ = slot + interval;
    }
    std::this_thread::sleep_until(slot);
  }

 private:
  double per_second_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point next_{};
};

}  // namespace invites::service
