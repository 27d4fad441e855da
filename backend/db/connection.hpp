#pragma once
// Opening MySQL/MariaDB connections (mysql-connector-c++ 1.1, the JDBC-style
// sql:: API) with the session settings every part of the server relies on.
// Statements run through db/statement.hpp.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string_view>

#include <cppconn/connection.h>

#include "db/database_url.hpp"

namespace invites::db {

// Connecting failed; the message holds the redacted URL and the server's reason.
class ConnectionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConnectOptions {
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{0};  // 0 = wait as long as the query runs
};

// Every session gets: utf8mb4 with utf8mb4_unicode_ci (the tables' collation),
// time_zone '+00:00' (DATETIME columns hold UTC), and MySQL 8.0's default
// sql_mode, so tests on MariaDB reject what MySQL 8.0 would reject
// (ONLY_FULL_GROUP_BY, strict mode); on a Galera node, causal reads
// (wsrep_sync_wait = 1). Throws ConnectionError.
std::unique_ptr<sql::Connection> connect(const DatabaseUrl& url, const ConnectOptions& options = {});

// Connects and runs SELECT 1 within `timeout`; false on any failure.
bool ping(const DatabaseUrl& url, std::chrono::seconds timeout) noexcept;

// Runs one statement that returns no rows (DDL, SET, ...).
void execute(sql::Connection& connection, std::string_view statement);

}  // namespace invites::db
