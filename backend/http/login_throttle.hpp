#pragma once
// Slows down password guessing at POST /api/session without handing an
// attacker a way to lock others out. Attempts are counted within a sliding
// window, in the database (repository/login_attempts.hpp), so every server
// of a cluster applies the same limits:
// - per (username, address): a guesser at one place is stopped after a
//   few tries, while the real user at another place still signs in;
// - per username over all addresses: a ceiling far above a person's typing,
//   so guessing spread over many addresses cannot go on for long either;
// - per address over all usernames: a ceiling far above what an office
//   behind one NAT or proxy produces, against spraying many names.
// Checking and counting are one step: an attempt is recorded (as a failure)
// before its password is checked, under a lock of its username and address,
// so forty concurrent guesses get exactly the allowed number checked. A
// success deletes it again. Past a limit, logins are refused with 429 until
// the oldest counted attempt leaves the window. Usernames count under
// security::username_key, the key that finds the user.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection_pool.hpp"

namespace invites::http {

struct LoginThrottleLimits {
  std::size_t failures_per_username_and_address = 5;
  std::size_t failures_per_username = 100;
  std::size_t failures_per_address = 500;
  std::chrono::seconds window{15 * 60};
  // Reverse proxies whose X-Forwarded-For names the client (client_address.hpp).
  std::vector<std::string> trusted_proxies;
};

class LoginThrottle {
 public:
  using Clock = std::chrono::system_clock;

  // An attempt that may go ahead, recorded as failed until succeeded().
  struct Attempt {
    std::uint64_t id;
    std::string username_key;
    std::string address;
    std::int64_t attempted_at_ms;
  };
  // Either an attempt, or how long the caller must wait before trying again.
  struct Admission {
    std::optional<Attempt> attempt;
    std::chrono::seconds retry_after{0};
  };

  LoginThrottle(db::ConnectionPool& pool, LoginThrottleLimits limits = {});

  const std::vector<std::string>& trusted_proxies() const { return limits_.trusted_proxies; }

  // Checks the limits and, when none is reached, records the attempt, in
  // one transaction.
  Admission admit(std::string_view username, std::string_view address, Clock::time_point now = Clock::now());
  // The attempt signed in: it is not a failure, and its (username, address)
  // starts afresh from it (the ceilings keep their counts; attempts made
  // since it began keep counting for the pair too).
  void succeeded(const Attempt& attempt);

 private:
  db::ConnectionPool& pool_;
  LoginThrottleLimits limits_;
};

}  // namespace invites::http
