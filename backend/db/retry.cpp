#include "db/retry.hpp"

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

namespace invites::db {
namespace {

constexpr int er_lock_wait_timeout = 1205;
constexpr int er_lock_deadlock = 1213;
// MySQL Group Replication's certification failure at commit (the transaction is rolled back).
constexpr int er_transaction_rollback_during_commit = 3101;

std::atomic<std::uint64_t> retries{0};

}  // namespace

bool is_transient_conflict(int mysql_error_code) noexcept {
  return mysql_error_code == er_lock_deadlock || mysql_error_code == er_lock_wait_timeout ||
         mysql_error_code == er_transaction_rollback_during_commit;
}

void back_off(const RetryPolicy& policy, int attempt) {
  ++retries;
  auto limit = policy.first_backoff;
  for (int i = 2; i < attempt && limit < policy.longest_backoff; ++i) limit *= 2;
  limit = std::min(limit, policy.longest_backoff);
  thread_local std::minstd_rand random{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(1, limit.count()));
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
}

std::uint64_t conflict_retries() noexcept { return retries; }

}  // namespace invites::db
