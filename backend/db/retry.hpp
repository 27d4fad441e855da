#pragma once
// Transactions that the database aborted and that are safe to run again.
// A Galera cluster aborts the later of two transactions that wrote the same
// rows on different nodes when it commits (certification conflict, error
// 1213 as for a deadlock); InnoDB aborts one side of a deadlock (1213) and a
// statement that waited too long for a lock (1205); MySQL Group Replication
// rolls the later one back at commit with 3101. The whole transaction is
// rolled back then, so running it again from its start is correct: every
// write path that can meet another server's writes goes through transact()
// (or retry_on_conflict() for a single autocommitted statement).
#include <chrono>
#include <cstdint>
#include <functional>
#include <type_traits>

#include <cppconn/connection.h>
#include <cppconn/exception.h>

#include "db/transaction.hpp"

namespace invites::db {

struct RetryPolicy {
  int attempts = 12;                               // in all, the first one included
  std::chrono::milliseconds first_backoff{2};      // doubled after each conflict, with jitter
  std::chrono::milliseconds longest_backoff{250};  // ...up to this
};

// 1213 (deadlock, or a Galera certification conflict), 1205 (lock wait
// timeout) and 3101 (a Group Replication certification conflict).
bool is_transient_conflict(int mysql_error_code) noexcept;

// Waits before attempt `attempt` (2, 3, ...): a random time up to the
// policy's backoff for that attempt, so two servers that conflicted do not
// meet again at once. Counts the retry (conflict_retries()).
void back_off(const RetryPolicy& policy, int attempt);

// Retries since the process started, for /metrics and tests.
std::uint64_t conflict_retries() noexcept;

// Runs `body` (one whole transaction, or one autocommitted statement) and
// runs it again while it throws a transient conflict, up to
// policy.attempts times; then the last error propagates. Returns what `body` returns.
template <typename Body>
std::invoke_result_t<Body&> retry_on_conflict(Body&& body, const RetryPolicy& policy = {}) {
  for (int attempt = 1;; ++attempt) {
    try {
      return body();
    } catch (const sql::SQLException& e) {
      if (attempt >= policy.attempts || !is_transient_conflict(e.getErrorCode())) throw;
    }
    back_off(policy, attempt + 1);
  }
}

// `body` in a transaction on `connection`, committed when it returns and
// retried from the start after a transient conflict (see above). `body` must
// do nothing but database work that a rollback undoes, since it may run more
// than once. Returns what `body` returns.
template <typename Body>
std::invoke_result_t<Body&> transact(sql::Connection& connection, Body&& body, const RetryPolicy& policy = {}) {
  return retry_on_conflict(
      [&]() -> std::invoke_result_t<Body&> {
        Transaction transaction(connection);
        if constexpr (std::is_void_v<std::invoke_result_t<Body&>>) {
          body();
          transaction.commit();
        } else {
          auto result = body();
          transaction.commit();
          return result;
        }
      },
      policy);
}

}  // namespace invites::db
