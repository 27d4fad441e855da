#pragma once
// Slows down password guessing at POST /api/session without handing an
// attacker a way to lock others out. Failed logins are counted within a
// sliding window, in memory (per server process):
// - per (username, address): a guesser at one place is stopped after a
//   few tries, while the real user at another place still signs in;
// - per username over all addresses: a ceiling far above a person's typing,
//   so guessing spread over many addresses cannot go on for long either;
// - per address over all usernames: a ceiling far above what an office
//   behind one NAT or proxy produces, against spraying many names.
// Past a limit, logins are refused with 429 until the oldest counted failure
// leaves the window. Usernames count under security::username_key, the
// key that finds the user.
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace invites::http {

struct LoginThrottleLimits {
  std::size_t failures_per_username_and_address = 5;
  std::size_t failures_per_username = 100;
  std::size_t failures_per_address = 500;
  std::chrono::seconds window{15 * 60};
  // Reverse proxies (their addresses as the socket shows them) whose
  // X-Forwarded-For names the client. Nobody else's header is believed.
  std::vector<std::string> trusted_proxies;
};

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginThrottle(LoginThrottleLimits limits = {}) : limits_(std::move(limits)) {}

  // The client's address: the socket's, or behind a trusted proxy the
  // nearest address in X-Forwarded-For that is not a trusted proxy.
  std::string client_address(std::string_view remote_address, std::string_view forwarded_for) const;

  // How long the caller must wait before trying again; nullopt when a login
  // attempt is allowed now.
  std::optional<std::chrono::seconds> retry_after(std::string_view username, std::string_view address,
                                                  Clock::time_point now = Clock::now());
  void record_failure(std::string_view username, std::string_view address, Clock::time_point now = Clock::now());
  // A successful login clears the failures of its (username, address) only.
  void record_success(std::string_view username, std::string_view address);

 private:
  using Failures = std::deque<Clock::time_point>;
  using Table = std::unordered_map<std::string, Failures>;

  std::optional<std::chrono::seconds> wait_for(Table& table, const std::string& key, std::size_t limit,
                                               Clock::time_point now) const;
  void add(Table& table, const std::string& key, std::size_t limit, Clock::time_point now);
  void prune(Table& table, Clock::time_point now) const;

  LoginThrottleLimits limits_;
  std::mutex mutex_;
  Table by_username_and_address_;
  Table by_username_;
  Table by_address_;
};

}  // namespace invites::http
