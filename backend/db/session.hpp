#pragma once
// Operations on one database session that are not about any table: its id
// and stopping its statement from another connection, its isolation level,
// and the server's clock.
#include <cstdint>

#include <cppconn/connection.h>

namespace invites::db {

// CONNECTION_ID() of the session.
std::uint64_t connection_id(sql::Connection& connection);

// Ends the statement that session `id` is running (KILL QUERY), from another connection.
void kill_query(sql::Connection& connection, std::uint64_t id);

// The session's later transactions run READ COMMITTED: locking reads then
// lock only the rows they return, without gap locks.
void use_read_committed(sql::Connection& connection);

// UNIX_TIMESTAMP() of the server, in seconds.
std::int64_t server_unix_time(sql::Connection& connection);

}  // namespace invites::db
