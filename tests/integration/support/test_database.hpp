#pragma once
// A fresh, empty database per test on the private MariaDB of the `mariadb`
// CTest fixture (scripts/mariadb-private.sh) or on another server (a node of
// the Galera fixture), dropped when the test ends, so tests never see each
// other's rows and can run in any order.
#include <cstdint>
#include <memory>
#include <string>

#include <cppconn/connection.h>

#include "db/database_url.hpp"

namespace invites::testing {

// The fixture server's URL, read from the file named by the environment
// variable INVITES_TEST_DB_URL_FILE (set by tests/integration/CMakeLists.txt).
// Throws std::runtime_error explaining what is missing.
db::DatabaseUrl fixture_database_url();

// The single number a query such as "SELECT COUNT(*) FROM ..." returns.
std::uint64_t count_rows(sql::Connection& connection, const std::string& query);

class TestDatabase {
 public:
  // Creates the database t_<pid>_<counter> (utf8mb4) on the fixture server.
  TestDatabase();
  // The same on `server` (its database part names the one to connect to first).
  explicit TestDatabase(const db::DatabaseUrl& server);
  // Drops it.
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // The URL of the fresh database (same server and user as the fixture).
  const db::DatabaseUrl& url() const { return url_; }
  const std::string& name() const { return url_.database; }
  // A new connection to the fresh database, with the server's session settings.
  std::unique_ptr<sql::Connection> connect() const;

 private:
  db::DatabaseUrl url_;
  std::unique_ptr<sql::Connection> admin_;  // on the fixture's own database; creates and drops
};

}  // namespace invites::testing
