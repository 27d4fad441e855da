// db::connect, a SqlQuery's parameters and ping against the fixture server.
#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/connection.hpp"
#include "db/statement.hpp"
#include "support/test_database.hpp"

using Catch::Matchers::Contains;

namespace {

std::string single(sql::Connection& connection, const std::string& query) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
  REQUIRE(rows->next());
  return rows->getString(1).asStdString();
}

}  // namespace

TEST_CASE("connections use utf8mb4, UTC and the MySQL 8.0 sql_mode") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  CHECK(single(*connection, "SELECT @@character_set_client") == "utf8mb4");
  CHECK(single(*connection, "SELECT @@character_set_results") == "utf8mb4");
  CHECK(single(*connection, "SELECT @@collation_connection") == "utf8mb4_unicode_ci");
  CHECK(single(*connection, "SELECT @@session.time_zone") == "+00:00");
  CHECK(single(*connection, "SELECT TIMESTAMPDIFF(MINUTE, NOW(), UTC_TIMESTAMP())") == "0");
  const auto sql_mode = single(*connection, "SELECT @@session.sql_mode");
  CHECK_THAT(sql_mode, Contains("ONLY_FULL_GROUP_BY") && Contains("STRICT_TRANS_TABLES"));
  CHECK(single(*connection, "SELECT DATABASE()") == database.name());
}

TEST_CASE("a SqlQuery's integers and strings bind in order") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  const invites::SqlQuery query{"SELECT ? + 1, CONCAT(?, '|', ?), ? = 'x'",
                                {std::int64_t{1} << 40, std::string("Zoë 😀"), std::int64_t{-7}, std::string("x")}};

  auto rows = invites::db::Statement(*connection, query).query();

  REQUIRE(rows.next());
  const auto [sum, text, equal] = rows.read<std::int64_t, std::string, int>();
  CHECK(sum == (std::int64_t{1} << 40) + 1);
  CHECK(text == "Zoë 😀|-7");
  CHECK(equal == 1);
}

TEST_CASE("4-byte characters survive a round trip through a table") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  invites::db::execute(*connection, "CREATE TABLE t (s VARCHAR(20)) DEFAULT CHARSET=utf8mb4");
  const std::string text = "Ünïcode 😀 名";
  invites::db::Statement(*connection, invites::SqlQuery{"INSERT INTO t VALUES (?)", {text}}).update();
  CHECK(single(*connection, "SELECT s FROM t") == text);
  CHECK(single(*connection, "SELECT CHAR_LENGTH(s) FROM t") == "11");
}

TEST_CASE("connect failures name the redacted URL") {
  auto url = invites::testing::fixture_database_url();
  url.password = "not-the-password";
  url.port = 1;  // nothing listens on port 1
  CHECK_THROWS_AS(invites::db::connect(url), invites::db::ConnectionError);
  CHECK_THROWS_WITH(
      invites::db::connect(url),
      Contains("cannot connect to mysql://" + url.user + ":***@127.0.0.1:1/") && !Contains("not-the-password"));
}

TEST_CASE("ping tells a reachable database from an unreachable one") {
  auto url = invites::testing::fixture_database_url();
  CHECK(invites::db::ping(url, std::chrono::seconds(2)));
  url.port = 1;
  CHECK_FALSE(invites::db::ping(url, std::chrono::seconds(2)));
}
