// The migration runner against a real database: from empty, re-runs, a
// database newer than the binary, failures; the statement splitter; the
// database URL parser; and `invites-server migrate` end to end.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/connection.hpp"
#include "db/database_url.hpp"
#include "db/migrations.hpp"
#include "db/sql_script.hpp"
#include "support/child_process.hpp"
#include "support/test_database.hpp"

using Catch::Matchers::Contains;
using invites::db::Migration;

namespace {

std::vector<std::string> strings(sql::Connection& connection, const std::string& query) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
  std::vector<std::string> values;
  while (rows->next()) values.push_back(rows->getString(1).asStdString());
  return values;
}

std::string single(sql::Connection& connection, const std::string& query) {
  const auto values = strings(connection, query);
  REQUIRE(values.size() == 1);
  return values.front();
}

std::set<std::string> table_names(sql::Connection& connection) {
  const auto names =
      strings(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()");
  return {names.begin(), names.end()};
}

std::string column_type(sql::Connection& connection, const std::string& table, const std::string& column) {
  return single(connection,
                "SELECT CONCAT(column_type, ' ', is_nullable, ' ', COALESCE(collation_name, '-'))"
                " FROM information_schema.columns WHERE table_schema = DATABASE()"
                " AND table_name = '" +
                    table + "' AND column_name = '" + column + "'");
}

const std::set<std::string> all_tables{
    "schema_migrations",
    "divisions",
    "account_classes",
    "bill_groups",
    "account_sources",
    "site_sources",
    "accounts",
    "sites",
    "services",
    "contacts",
    "portal_users",
    "portal_invites",
    "staff_users",
    "staff_permissions",
    "staff_sessions",
    "audit_log",
    "notification_templates",
    "send_jobs",
    "send_outbox",
    "schema_migrations_lock",
    "sender_leases",
    "previews",
};

}  // namespace

TEST_CASE("the binary embeds the numbered migration files in order") {
  const auto migrations = invites::db::embedded_migrations();
  REQUIRE(migrations.size() >= 2);
  CHECK(migrations[0].version == 1);
  CHECK(migrations[0].name == "billing_tables");
  CHECK(migrations[1].version == 2);
  CHECK(migrations[1].name == "portal_tables");
  CHECK(std::is_sorted(migrations.begin(), migrations.end(),
                       [](const Migration& a, const Migration& b) { return a.version < b.version; }));
}

TEST_CASE("migrate on an empty database creates every table") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  CHECK(invites::db::schema_version(*connection) == 0);

  const auto result = invites::db::migrate(*connection);

  CHECK(result.version_before == 0);
  CHECK(result.version_after == invites::db::embedded_migrations().back().version);
  CHECK(result.applied.size() == invites::db::embedded_migrations().size());
  CHECK(invites::db::schema_version(*connection) == result.version_after);
  const auto tables = table_names(*connection);
  CHECK(std::includes(tables.begin(), tables.end(), all_tables.begin(), all_tables.end()));
  std::vector<std::string> names;
  for (const auto& migration : invites::db::embedded_migrations()) names.emplace_back(migration.name);
  CHECK(strings(*connection, "SELECT name FROM schema_migrations ORDER BY version") == names);
  CHECK(names.at(2) == "staff_and_audit");

  // Details other code relies on.
  CHECK(column_type(*connection, "contacts", "email") == "varchar(320) YES utf8mb4_unicode_ci");
  CHECK(column_type(*connection, "portal_users", "email") == "varchar(254) NO utf8mb4_bin");
  CHECK(column_type(*connection, "portal_users", "status") ==
        "enum('invited','active','disabled') NO utf8mb4_unicode_ci");
  CHECK(column_type(*connection, "portal_invites", "token_hash") == "binary(32) NO -");
  CHECK(column_type(*connection, "accounts", "balance") == "decimal(12,2) NO -");
  CHECK(column_type(*connection, "accounts", "account_class_id") == "int(10) unsigned YES -");
}

TEST_CASE("the migrated schema enforces its keys") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  invites::db::migrate(*connection);

  invites::db::execute(*connection, "INSERT INTO portal_users (email) VALUES ('a@example.com')");
  CHECK_THROWS(invites::db::execute(*connection, "INSERT INTO portal_users (email) VALUES ('a@example.com')"));
  // Bytewise: another case is another address (normalization happens before).
  CHECK_NOTHROW(invites::db::execute(*connection, "INSERT INTO portal_users (email) VALUES ('A@example.com')"));
  CHECK_THROWS(invites::db::execute(*connection, "INSERT INTO contacts (account_id, email) VALUES (12345, 'x@y.z')"));
  CHECK(single(*connection, "SELECT status FROM portal_users WHERE email = 'a@example.com'") == "invited");
}

TEST_CASE("re-running migrate is a no-op") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  const auto first = invites::db::migrate(*connection);
  const auto applied_at = strings(*connection, "SELECT applied_at FROM schema_migrations ORDER BY version");

  const auto second = invites::db::migrate(*connection);

  CHECK(second.applied.empty());
  CHECK(second.version_before == first.version_after);
  CHECK(second.version_after == first.version_after);
  CHECK(strings(*connection, "SELECT applied_at FROM schema_migrations ORDER BY version") == applied_at);
}

TEST_CASE("the lock of a migrate run that crashed is taken over once it expired, and a run leaves none behind") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  invites::db::execute(*connection,
                       "CREATE TABLE schema_migrations_lock (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, "
                       "holder VARCHAR(100) NOT NULL, expires_at DATETIME(3) NOT NULL)");
  invites::db::execute(
      *connection, "INSERT INTO schema_migrations_lock VALUES (1, 'crashed:1', UTC_TIMESTAMP(3) - INTERVAL 1 SECOND)");

  const auto result = invites::db::migrate(*connection);

  CHECK(result.applied.size() == invites::db::embedded_migrations().size());
  CHECK(single(*connection, "SELECT COUNT(*) FROM schema_migrations_lock") == "0");
}

TEST_CASE("a database migrated by a newer invites-server is refused") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  invites::db::migrate(*connection);
  const int newest = invites::db::embedded_migrations().back().version;
  invites::db::execute(*connection, "INSERT INTO schema_migrations (version, name) VALUES (" +
                                        std::to_string(newest + 1) + ", 'from_the_future')");

  CHECK_THROWS_AS(invites::db::migrate(*connection), invites::db::MigrationError);
  CHECK_THROWS_WITH(invites::db::migrate(*connection),
                    Contains("schema is at version " + std::to_string(newest + 1)) &&
                        Contains("newer than the newest this invites-server knows (" + std::to_string(newest) + ")"));
}

TEST_CASE("only migrations the database has not recorded are applied, in order") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  const std::vector<Migration> v1{{1, "first", "CREATE TABLE first_table (id INT PRIMARY KEY);"}};
  const std::vector<Migration> v3{
      v1[0],
      {2, "second", "CREATE TABLE second_table (id INT PRIMARY KEY);\nINSERT INTO first_table VALUES (2);"},
      {3, "third", "INSERT INTO first_table VALUES (3);"},
  };

  CHECK(invites::db::migrate(*connection, v1).applied == std::vector<int>{1});
  const auto result = invites::db::migrate(*connection, v3);

  CHECK(result.version_before == 1);
  CHECK(result.applied == std::vector<int>{2, 3});
  CHECK(result.version_after == 3);
  CHECK(strings(*connection, "SELECT id FROM first_table ORDER BY id") == std::vector<std::string>{"2", "3"});
}

TEST_CASE("a failing migration names itself and is not recorded") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  const std::vector<Migration> broken{
      {1, "fine", "CREATE TABLE fine_table (id INT);"},
      {2, "broken", "CREATE TABLE ok_table (id INT);\nCREATE TABLE broken_table (id NOT_A_TYPE);"},
  };

  CHECK_THROWS_WITH(invites::db::migrate(*connection, broken),
                    Contains("migration 0002_broken failed at statement 2") && Contains("broken_table"));
  CHECK(invites::db::schema_version(*connection) == 1);
}

TEST_CASE("a migration list out of order is rejected before touching the database") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  const std::vector<Migration> unordered{{2, "b", "SELECT 1;"}, {1, "a", "SELECT 1;"}};
  CHECK_THROWS_WITH(invites::db::migrate(*connection, unordered), Contains("not strictly ascending"));
  CHECK(table_names(*connection).empty());
}

TEST_CASE("invites-server migrate creates the schema and is idempotent") {
  invites::testing::TestDatabase database;
  const std::vector<std::string> command{invites::testing::invites_server_path(), "migrate", "--db",
                                         database.url().to_string()};

  const auto first = invites::testing::run_process(command);
  INFO(first.output);
  CHECK(first.exit_code == 0);
  const int newest = invites::db::embedded_migrations().back().version;
  CHECK_THAT(first.output, Contains("migrated from version 0 to " + std::to_string(newest)));

  const auto second = invites::testing::run_process(command);
  INFO(second.output);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.output, Contains("up to date at version " + std::to_string(newest)));

  const auto connection = database.connect();
  CHECK(invites::db::schema_version(*connection) == newest);
}

TEST_CASE("invites-server migrate reports a bad URL or an unreachable database") {
  const auto server = invites::testing::invites_server_path();

  const auto bad_url = invites::testing::run_process({server, "migrate", "--db", "postgres://u@h/db"});
  CHECK(bad_url.exit_code != 0);
  CHECK_THAT(bad_url.output, Contains("unsupported scheme 'postgres'"));

  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const auto unreachable =
      invites::testing::run_process({server, "migrate", "--db", "mysql://root:s3cret@127.0.0.1:1/invites"});
  CHECK(unreachable.exit_code == 1);
  CHECK_THAT(unreachable.output, Contains("cannot connect to mysql://root:***@127.0.0.1:1/invites"));
  CHECK_THAT(unreachable.output, !Contains("s3cret"));
}

TEST_CASE("split_sql_statements splits at semicolons that end a line") {
  using invites::db::split_sql_statements;
  const auto statements = split_sql_statements(
      "-- a comment line;\n"
      "CREATE TABLE a (\n"
      "  x VARCHAR(3) DEFAULT ';' -- a ';' inside a line does not split\n"
      ");  \n"
      "\n"
      "-- only comments between statements;\n"
      "INSERT INTO a VALUES ('b');\r\n"
      "SELECT 1");
  REQUIRE(statements.size() == 3);
  CHECK(statements[0] == "CREATE TABLE a (\n  x VARCHAR(3) DEFAULT ';' -- a ';' inside a line does not split\n)");
  CHECK(statements[1] == "INSERT INTO a VALUES ('b')");
  CHECK(statements[2] == "SELECT 1");
  CHECK(split_sql_statements("").empty());
  CHECK(split_sql_statements("-- nothing but a comment;\n\n").empty());
}

TEST_CASE("database URLs parse with defaults and percent-decoding") {
  using invites::db::parse_database_url;
  const auto plain = parse_database_url("mysql://root@127.0.0.1/invites");
  CHECK(plain.user == "root");
  CHECK(plain.password.empty());
  CHECK(plain.host == "127.0.0.1");
  CHECK(plain.port == 3306);
  CHECK(plain.database == "invites");
  CHECK(plain.to_string() == "mysql://root@127.0.0.1:3306/invites");

  const auto full = parse_database_url("mysql://app%40corp:p%3Ass@w%2Fd@db.example.com:3307/billing_db");
  CHECK(full.user == "app@corp");
  CHECK(full.password == "p:ss@w/d");
  CHECK(full.host == "db.example.com");
  CHECK(full.port == 3307);
  CHECK(full.database == "billing_db");
  CHECK(parse_database_url(full.to_string()) == full);
  CHECK(full.redacted() == "mysql://app%40corp:***@db.example.com:3307/billing_db");

  const auto raw_at = parse_database_url("mysql://u:p@ss@h/d");  // the last '@' ends the password
  CHECK(raw_at.password == "p@ss");

  const auto ipv6 = parse_database_url("mysql://u@[::1]:3310/d");
  CHECK(ipv6.host == "::1");
  CHECK(ipv6.port == 3310);
  CHECK(ipv6.to_string() == "mysql://u@[::1]:3310/d");
}

TEST_CASE("database URL errors name the problem") {
  using invites::db::parse_database_url;
  const auto error_of = [](const std::string& url) -> std::string {
    try {
      parse_database_url(url);
    } catch (const invites::db::DatabaseUrlError& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK_THAT(error_of(""), Contains("empty"));
  CHECK_THAT(error_of("postgres://u@h/d"), Contains("unsupported scheme 'postgres'"));
  CHECK_THAT(error_of("u@h/d"), Contains("missing mysql:// scheme"));
  CHECK_THAT(error_of("mysql://h:3306/d"), Contains("missing USER@"));
  CHECK_THAT(error_of("mysql://:pw@h/d"), Contains("missing user"));
  CHECK_THAT(error_of("mysql://u@/d"), Contains("missing host"));
  CHECK_THAT(error_of("mysql://u@h:abc/d"), Contains("invalid port 'abc'"));
  CHECK_THAT(error_of("mysql://u@h:0/d"), Contains("invalid port '0'"));
  CHECK_THAT(error_of("mysql://u@h:70000/d"), Contains("invalid port '70000'"));
  CHECK_THAT(error_of("mysql://u@h:3306"), Contains("missing /DB"));
  CHECK_THAT(error_of("mysql://u@h/"), Contains("missing database name"));
  CHECK_THAT(error_of("mysql://u@h/d?ssl=1"), Contains("query parameters"));
  CHECK_THAT(error_of("mysql://u@h/a;drop"), Contains("invalid database name 'a;drop'"));
  CHECK_THAT(error_of("mysql://u@[::1/d"), Contains("unterminated '['"));
  // A bad escape in the password is reported without showing the password.
  const auto bad_escape = error_of("mysql://u:secret%zz@h/d");
  CHECK_THAT(bad_escape, Contains("bad percent-escape in the password"));
  CHECK_THAT(bad_escape, !Contains("secret"));
}
