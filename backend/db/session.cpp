#include "db/session.hpp"

#include <string>

#include "db/connection.hpp"
#include "db/statement.hpp"

namespace invites::db {

std::uint64_t connection_id(sql::Connection& connection) {
  return query_row<std::uint64_t>(connection, "SELECT CONNECTION_ID()").value_or(0);
}

void kill_query(sql::Connection& connection, std::uint64_t id) {
  execute(connection, "KILL QUERY " + std::to_string(id));
}

void use_read_committed(sql::Connection& connection) {
  execute(connection, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
}

std::int64_t server_unix_time(sql::Connection& connection) {
  return query_row<std::int64_t>(connection, "SELECT UNIX_TIMESTAMP()").value_or(0);
}

}  // namespace invites::db
