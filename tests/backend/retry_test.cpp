// db::retry_on_conflict: which errors a transaction is run again after
// (deadlock, lock wait timeout, Galera's and Group Replication's
// certification conflicts), which it gives up on at once, and the limit.
#include <string>

#include <catch2/catch.hpp>
#include <cppconn/exception.h>

#include "db/retry.hpp"

using invites::db::retry_on_conflict;
using invites::db::RetryPolicy;

namespace {

const RetryPolicy quick{
    .attempts = 5, .first_backoff = std::chrono::milliseconds(1), .longest_backoff = std::chrono::milliseconds(1)};

// A body that fails `failures` times with `error_code`, then returns its number of calls.
struct Failing {
  int error_code;
  int failures;
  int calls = 0;
  int operator()() {
    if (++calls <= failures) throw sql::SQLException("aborted", "40001", error_code);
    return calls;
  }
};

}  // namespace

TEST_CASE("retry: a transient conflict runs the body again until it succeeds") {
  const int code = GENERATE(1213, 1205, 3101);
  INFO("error " << code);
  Failing body{code, 3};
  const auto retries_before = invites::db::conflict_retries();
  CHECK(retry_on_conflict(body, quick) == 4);
  CHECK(invites::db::conflict_retries() - retries_before == 3);
}

TEST_CASE("retry: any other error propagates at once") {
  const int code = GENERATE(1062, 1146, 2013);
  INFO("error " << code);
  Failing body{code, 1};
  try {
    retry_on_conflict(body, quick);
    FAIL("no exception");
  } catch (const sql::SQLException& e) {
    CHECK(e.getErrorCode() == code);
  }
  CHECK(body.calls == 1);
}

TEST_CASE("retry: after policy.attempts conflicts the last one propagates") {
  Failing body{3101, 100};
  try {
    retry_on_conflict(body, quick);
    FAIL("no exception");
  } catch (const sql::SQLException& e) {
    CHECK(e.getErrorCode() == 3101);
  }
  CHECK(body.calls == quick.attempts);
}
