#pragma once
// Process-wide counters for GET /metrics (Prometheus text format).
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace invites::service {

class Metrics {
 public:
  static Metrics& instance();

  void count_request(int status) noexcept;
  void count_load(double seconds) noexcept;
  void count_refresh(bool ok, double seconds) noexcept;

  struct SnapshotGauges {
    bool loaded = false;
    double age_seconds = 0;
    std::uint64_t contacts = 0, accounts = 0, emails = 0;
  };
  // Prometheus text exposition (version 0.0.4).
  std::string render(const SnapshotGauges& snapshot) const;

 private:
  std::array<std::atomic<std::uint64_t>, 6> requests_by_class_{};  // index 1..5 = 1xx..5xx, 0 = other
  std::atomic<std::uint64_t> loads_{0}, load_micros_{0};
  std::atomic<std::uint64_t> refreshes_{0}, refresh_failures_{0}, refresh_micros_{0};
};

}  // namespace invites::service
