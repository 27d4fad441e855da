#pragma once
// Staff login sessions (table staff_sessions): one row per session, keyed by
// the hash of its token, so every server process sharing the database sees
// it (http/session_auth.hpp holds the rules). Token hashes are passed as hex.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <cppconn/connection.h>

namespace invites::repository {

struct StaffSessionRow {
  std::uint64_t user_id = 0;
  std::string username;
  std::string csrf_token;
};

// The session of this token hash if it is neither expired nor idle longer
// than `idle_timeout`, and its user is not disabled.
std::optional<StaffSessionRow> find_live_session(sql::Connection& connection, const std::string& token_hash_hex,
                                                 std::chrono::seconds idle_timeout);

// Marks the session seen now, unless that was recorded within `interval`
// already (last_seen_at is not written on every request).
void touch_session(sql::Connection& connection, const std::string& token_hash_hex, std::chrono::seconds interval);

// Deletes the sessions that have expired or been idle longer than `idle_timeout`.
void delete_dead_sessions(sql::Connection& connection, std::chrono::seconds idle_timeout);

// Stores a new session that ends `lifetime` from now at the latest.
void insert_session(sql::Connection& connection, const std::string& token_hash_hex, std::uint64_t user_id,
                    const std::string& csrf_token, std::chrono::seconds lifetime);

// False when there was no such session.
bool delete_session(sql::Connection& connection, const std::string& token_hash_hex);

// Ends every session of the user (after their password or permissions were
// replaced); returns how many there were.
std::uint64_t delete_user_sessions(sql::Connection& connection, std::uint64_t user_id);

}  // namespace invites::repository
