#include "http/login_throttle.hpp"

#include <algorithm>

#include "db/retry.hpp"
#include "repository/login_attempts.hpp"
#include "security/usernames.hpp"

namespace invites::http {
namespace {

// Stored addresses are bounded by the column; a longer "address" is no real one.
constexpr std::size_t max_stored_address_bytes = 64;
// Rows past the window deleted per admitted attempt: enough to keep up with
// any rate of attempts, small enough to stay a short statement.
constexpr std::uint64_t expired_rows_per_attempt = 20;

std::int64_t milliseconds_since_epoch(LoginThrottle::Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

}  // namespace

LoginThrottle::LoginThrottle(db::ConnectionPool& pool, LoginThrottleLimits limits)
    : pool_(pool), limits_(std::move(limits)) {}

LoginThrottle::Admission LoginThrottle::admit(std::string_view username, std::string_view address,
                                              Clock::time_point now) {
  const std::string key = security::username_key(username);
  const std::string place(address.substr(0, max_stored_address_bytes));
  const std::int64_t now_ms = milliseconds_since_epoch(now);
  const std::int64_t window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(limits_.window).count();
  const std::int64_t since_ms = now_ms - window_ms;

  auto connection = pool_.acquire();
  auto admission = db::transact(*connection, [&] {
    repository::lock_login_throttle_keys(*connection, key, place, now_ms);
    // The limit-th newest attempt in the window decides: with it the scope is full until it leaves.
    std::int64_t wait_ms = 0;
    const auto full_until = [&](const repository::LoginAttemptScope& scope, std::size_t limit) {
      if (const auto oldest =
              repository::nth_newest_login_attempt(*connection, scope, since_ms, std::max<std::size_t>(limit, 1))) {
        wait_ms = std::max(wait_ms, *oldest + window_ms - now_ms);
      }
    };
    full_until({key, place}, limits_.failures_per_username_and_address);
    full_until({key, std::nullopt}, limits_.failures_per_username);
    full_until({std::nullopt, place}, limits_.failures_per_address);
    if (wait_ms > 0) {
      return Admission{std::nullopt, std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(
                                                                           std::chrono::milliseconds(wait_ms)))};
    }
    return Admission{Attempt{repository::insert_login_attempt(*connection, key, place, now_ms), key, place, now_ms}};
  });
  if (admission.attempt) {
    db::retry_on_conflict(
        [&] { repository::delete_login_attempts_before(*connection, since_ms, expired_rows_per_attempt); });
  }
  return admission;
}

void LoginThrottle::succeeded(const Attempt& attempt) {
  auto connection = pool_.acquire();
  db::transact(*connection, [&] {
    repository::forgive_login_attempts(*connection, attempt.id, attempt.username_key, attempt.address,
                                       attempt.attempted_at_ms);
  });
}

}  // namespace invites::http
