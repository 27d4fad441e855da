#pragma once
// Slows down password guessing at POST /api/session: failed logins are
// counted per username and per client address within a sliding window, in
// memory (per server process). Past a limit, logins are refused with 429
// until the oldest counted failure leaves the window.
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace invites::http {

struct LoginThrottleLimits {
  std::size_t failures_per_username = 5;
  std::size_t failures_per_address = 20;
  std::chrono::seconds window{15 * 60};
};

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginThrottle(LoginThrottleLimits limits = {}) : limits_(limits) {}

  // How long the caller must wait before trying again; nullopt when a login
  // attempt is allowed now. Usernames compare case-insensitively (ASCII).
  std::optional<std::chrono::seconds> retry_after(std::string_view username, std::string_view address,
                                                  Clock::time_point now = Clock::now());
  void record_failure(std::string_view username, std::string_view address, Clock::time_point now = Clock::now());
  // A successful login clears the username's failures (not the address's).
  void reset_username(std::string_view username);

 private:
  using Failures = std::deque<Clock::time_point>;
  using Table = std::unordered_map<std::string, Failures>;

  std::optional<std::chrono::seconds> wait_for(Table& table, const std::string& key, std::size_t limit,
                                               Clock::time_point now) const;
  void add(Table& table, const std::string& key, std::size_t limit, Clock::time_point now);
  void prune(Table& table, Clock::time_point now) const;

  LoginThrottleLimits limits_;
  std::mutex mutex_;
  Table by_username_;
  Table by_address_;
};

}  // namespace invites::http
