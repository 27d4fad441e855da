#pragma once
// Staff sign-in attempts (tables login_attempts and login_throttle_keys,
// migration 0011): the storage of the login throttle
// (http/login_throttle.hpp), shared by every server. Times are milliseconds
// since 1970, UTC, given by the caller.
#include <cstdint>
#include <optional>
#include <string>

#include <cppconn/connection.h>

namespace invites::repository {

// Inside a transaction: locks the rows of `username_key` and `address` (in
// that order, always, so two checks cannot wait for each other in a circle)
// until it ends. Concurrent checks of either then run one after another.
void lock_login_throttle_keys(sql::Connection& connection, const std::string& username_key, const std::string& address,
                              std::int64_t now_ms);

// Which attempts a count covers: one (username, address), a username, or an address.
struct LoginAttemptScope {
  std::optional<std::string> username_key;
  std::optional<std::string> address;
};

// The time of the attempt that is `nth` newest (1 = the newest) in `scope`
// since `since_ms`; nullopt when there are fewer. Attempts of a pair that
// later signed in do not count when the scope is that pair.
std::optional<std::int64_t> nth_newest_login_attempt(sql::Connection& connection, const LoginAttemptScope& scope,
                                                     std::int64_t since_ms, std::uint64_t nth);

// Records an attempt (counted as failed until deleted); returns its id.
std::uint64_t insert_login_attempt(sql::Connection& connection, const std::string& username_key,
                                   const std::string& address, std::int64_t now_ms);

// An attempt (made at `attempted_at_ms`) succeeded: it is deleted, and the
// failures of its (username, address) made before it no longer count for that
// pair. Attempts made while its password was being checked still count: they
// may be a guesser's, racing the real user's sign-in.
void forgive_login_attempts(sql::Connection& connection, std::uint64_t attempt_id, const std::string& username_key,
                            const std::string& address, std::int64_t attempted_at_ms);

// Deletes up to `limit` attempts and keys older than `before_ms` (they count
// for nothing any more); returns how many rows went.
std::uint64_t delete_login_attempts_before(sql::Connection& connection, std::int64_t before_ms, std::uint64_t limit);

}  // namespace invites::repository
