#include "support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/connection.hpp"

namespace invites::testing {

db::DatabaseUrl fixture_database_url() {
  const char* file = std::getenv("INVITES_TEST_DB_URL_FILE");
  if (file == nullptr || *file == '\0') {
    throw std::runtime_error(
        "INVITES_TEST_DB_URL_FILE is not set: run this test through ctest, which starts the mariadb fixture, "
        "or start one with scripts/mariadb-private.sh start DIR and set the variable to DIR/url");
  }
  std::ifstream in(file);
  std::string url;
  if (!(in >> url)) {
    throw std::runtime_error(std::string("cannot read a database URL from ") + file +
                             " (did the mariadb.start test fail?)");
  }
  return db::parse_database_url(url);
}

TestDatabase::TestDatabase() : TestDatabase(fixture_database_url()) {}

TestDatabase::TestDatabase(const db::DatabaseUrl& server) {
  static std::atomic<int> counter{0};
  url_ = server;
  url_.database = "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  admin_ = db::connect(server);
  // A crashed earlier process with the same pid may have left it behind.
  db::execute(*admin_, "DROP DATABASE IF EXISTS `" + url_.database + "`");
  db::execute(*admin_, "CREATE DATABASE `" + url_.database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
}

TestDatabase::~TestDatabase() {
  try {
    db::execute(*admin_, "DROP DATABASE IF EXISTS `" + url_.database + "`");
  } catch (...) {
    // Never throw from a destructor; a leftover database only costs disk space.
  }
}

std::unique_ptr<sql::Connection> TestDatabase::connect() const { return db::connect(url_); }

std::uint64_t count_rows(sql::Connection& connection, const std::string& query) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery(query));
  row->next();
  return row->getUInt64(1);
}

}  // namespace invites::testing
