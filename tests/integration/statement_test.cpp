// db::Statement and db::Rows (backend/db/statement.hpp, rows.hpp) against
// the fixture server: every bindable type goes in and comes back out by
// type, NULLs only as std::optional, and a wrong number of values is refused.
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "db/connection.hpp"
#include "db/statement.hpp"
#include "support/test_database.hpp"

using Catch::Matchers::Contains;
namespace db = invites::db;

namespace {

struct Table {
  invites::testing::TestDatabase database;
  std::unique_ptr<sql::Connection> connection = database.connect();
  Table() {
    db::execute(*connection,
                "CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NULL,"
                " big BIGINT NULL, flag TINYINT(1) NULL, ratio DOUBLE NULL)");
  }
};

}  // namespace

TEST_CASE("statement: values of every type bind by position and read back by type") {
  Table table;
  auto& connection = *table.connection;
  constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
  constexpr auto highest = std::numeric_limits<std::uint64_t>::max();
  const std::string text = "Zoë 😀 名";

  auto rows = db::query(connection, "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", text, std::string_view("view"), "literal",
                        std::int32_t{-5}, std::uint32_t{4'000'000'000u}, lowest, highest, true, 0.25, -1.5e300);
  REQUIRE(rows.next());
  const auto [a, b, c, d, e, f, g, h, i, j] = rows.read<std::string, std::string, std::string, int, std::uint32_t,
                                                        std::int64_t, std::uint64_t, bool, double, double>();
  CHECK(a == text);
  CHECK(b == "view");
  CHECK(c == "literal");
  CHECK(d == -5);
  CHECK(e == 4'000'000'000u);
  CHECK(f == lowest);
  CHECK(g == highest);
  CHECK(h);
  CHECK(i == 0.25);
  CHECK(j == -1.5e300);
  CHECK_FALSE(rows.next());
}

TEST_CASE("statement: std::optional binds NULL and reads NULL back as nullopt") {
  Table table;
  auto& connection = *table.connection;
  const std::optional<std::string> no_name;
  const std::optional<std::int64_t> big = 42;
  db::update(connection, "INSERT INTO t (name, big, flag, ratio) VALUES (?, ?, ?, ?)", no_name, big, std::nullopt,
             std::optional<double>(2.5));
  db::update(connection, "INSERT INTO t (name, big, flag, ratio) VALUES (?, ?, ?, ?)", std::optional<std::string>("x"),
             std::optional<std::int64_t>(), std::optional<bool>(false), std::optional<double>());

  auto rows = db::query(connection, "SELECT name, big, flag, ratio FROM t ORDER BY id");
  REQUIRE(rows.next());
  const auto [name1, big1, flag1, ratio1] =
      rows.read<std::optional<std::string>, std::optional<std::int64_t>, std::optional<bool>, std::optional<double>>();
  CHECK_FALSE(name1);
  CHECK(big1 == 42);
  CHECK_FALSE(flag1);
  CHECK(ratio1 == 2.5);
  REQUIRE(rows.next());
  std::optional<std::string> name2;
  std::optional<std::int64_t> big2 = 7;
  std::optional<bool> flag2;
  std::optional<double> ratio2 = 1.0;
  rows.read_into(name2, big2, flag2, ratio2);
  CHECK(name2 == "x");
  CHECK_FALSE(big2);
  CHECK(flag2 == false);
  CHECK_FALSE(ratio2);
}

TEST_CASE("statement: a NULL read as a type without one is an error naming the column") {
  Table table;
  auto& connection = *table.connection;
  auto rows = db::query(connection, "SELECT 1, NULL");
  REQUIRE(rows.next());
  CHECK(rows.read<int>() == 1);
  CHECK_THROWS_AS(rows.read<std::string>(), db::NullColumn);
  REQUIRE_FALSE(rows.next());
  CHECK_THROWS_WITH(db::query_row<int>(connection, "SELECT NULL"), Contains("column 1 is NULL"));
}

TEST_CASE("statement: too many or too few values are refused before the statement runs") {
  Table table;
  auto& connection = *table.connection;
  CHECK_THROWS_WITH(db::update(connection, "INSERT INTO t (name, big) VALUES (?, ?)", "only one"),
                    Contains("1 values for the 2 placeholders of: INSERT INTO t (name, big)"));
  CHECK_THROWS_WITH(db::update(connection, "INSERT INTO t (name) VALUES (?)", "one", "two"),
                    Contains("more values than the 1 placeholders of: INSERT INTO t (name)"));
  CHECK(db::query_row<std::int64_t>(connection, "SELECT COUNT(*) FROM t") == 0);

  // A statement whose binding failed is bound anew from the first placeholder.
  db::Statement insert(connection, "INSERT INTO t (name) VALUES (?)");
  CHECK_THROWS_AS(insert.update(), std::logic_error);
  CHECK(insert.bind("after").update() == 1);
  CHECK(db::query_column<std::string>(connection, "SELECT name FROM t") == std::vector<std::string>{"after"});
}

TEST_CASE("statement: a kept statement runs again with new values") {
  Table table;
  auto& connection = *table.connection;
  db::Statement insert(connection, "INSERT INTO t (name, big) VALUES (?, ?)");
  for (int i = 1; i <= 3; ++i) CHECK(insert.bind("row " + std::to_string(i), i * 10).update() == 1);
  CHECK(db::last_insert_id(connection) == 3);

  db::Statement select(connection, "SELECT big FROM t WHERE name = ?");
  for (int i = 1; i <= 3; ++i) {
    auto rows = select.bind("row " + std::to_string(i)).query();
    REQUIRE(rows.next());
    CHECK(rows.read<std::int64_t>() == i * 10);
  }
  CHECK(db::update(connection, "UPDATE t SET big = big + 1 WHERE big >= ?", 20) == 2);
}

TEST_CASE("statement: IN lists and multi-row INSERTs bind ranges after single values") {
  Table table;
  auto& connection = *table.connection;
  const std::vector<std::string> names{"a", "b", "c", "d"};
  db::Statement insert(connection, "INSERT INTO t (name, big) VALUES " + db::placeholders(names.size(), "(?, ?)"));
  std::int64_t big = 0;
  for (const auto& name : names) insert.bind(name, ++big);
  CHECK(insert.update() == 4);

  const std::vector<std::string> wanted{"b", "d"};
  db::Statement select(
      connection, "SELECT name FROM t WHERE big > ? AND name IN (" + db::placeholders(wanted.size()) + ") ORDER BY id");
  auto rows = select.bind(1).bind_each(wanted).query();
  CHECK(rows.count() == 2);
  std::vector<std::string> found;
  while (rows.next()) found.push_back(rows.read<std::string>());
  CHECK(found == wanted);
  CHECK(db::placeholders(3) == "?, ?, ?");
  CHECK(db::placeholders(0).empty());
}

TEST_CASE("statement: query_row gives the first row or nothing") {
  Table table;
  auto& connection = *table.connection;
  db::update(connection, "INSERT INTO t (name, big) VALUES ('x', 1), ('y', 2)");
  CHECK_FALSE(db::query_row<std::string>(connection, "SELECT name FROM t WHERE big = ?", 3));
  const auto row = db::query_row<std::string, std::int64_t>(connection, "SELECT name, big FROM t ORDER BY big DESC");
  REQUIRE(row);
  CHECK(std::get<0>(*row) == "y");
  CHECK(std::get<1>(*row) == 2);
}

TEST_CASE("statement: stream reads a large result row by row") {
  Table table;
  auto& connection = *table.connection;
  constexpr int per_insert = 1000;
  db::Statement insert(connection, "INSERT INTO t (big) VALUES " + db::placeholders(per_insert, "(?)"));
  for (int i = 0; i < 20000; ++i) {
    insert.bind(i + 1);
    if ((i + 1) % per_insert == 0) insert.update();
  }
  auto rows = db::stream(connection, "SELECT big FROM t ORDER BY id");
  std::int64_t expected = 0;
  bool in_order = true;
  while (rows.next()) in_order = in_order && rows.read<std::int64_t>() == ++expected;
  CHECK(in_order);
  CHECK(expected == 20000);
}
