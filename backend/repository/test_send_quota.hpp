#pragma once
// The test sends each staff user has left (table test_send_quota): a fixed
// window per user, counted in the database so that every server sharing it
// (a cluster) draws on one budget.
#include <chrono>
#include <cstdint>
#include <optional>

#include <cppconn/connection.h>

namespace invites::repository {

struct TestSendQuota {
  std::uint32_t limit = 10;  // test sends per window; 0: no limit
  std::chrono::seconds window{10 * 60};
};

// Counts one test send of the user and returns nullopt, or, when the user's
// window is used up, counts nothing and returns how long until it ends.
// Check and count are one transaction with the user's row locked, so
// concurrent requests (on any server) cannot both take the last one.
std::optional<std::chrono::seconds> take_test_send(sql::Connection& connection, std::uint64_t user_id,
                                                   const TestSendQuota& quota);

}  // namespace invites::repository
