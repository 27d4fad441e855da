// db/session.hpp against the fixture server: a session's id, stopping its
// statement from another connection, its isolation level, the server clock.
#include <ctime>
#include <future>
#include <string>

#include <catch2/catch.hpp>

#include "db/session.hpp"
#include "db/statement.hpp"
#include "support/test_database.hpp"

using Catch::Matchers::Contains;
namespace db = invites::db;

TEST_CASE("database session: connection_id names this session") {
  invites::testing::TestDatabase database;
  const auto first = database.connect();
  const auto second = database.connect();
  const auto id = db::connection_id(*first);
  CHECK(id != 0);
  CHECK(id != db::connection_id(*second));
  CHECK(db::query_row<std::string>(*second, "SELECT user FROM information_schema.processlist WHERE id = ?", id)
            .has_value());
}

TEST_CASE("database session: kill_query ends another session's statement") {
  invites::testing::TestDatabase database;
  const auto sleeper = database.connect();
  const auto killer = database.connect();
  const auto id = db::connection_id(*sleeper);
  auto slept = std::async(std::launch::async, [&] { return db::query_row<int>(*sleeper, "SELECT SLEEP(60)"); });
  const auto sleeping = [&] {
    return db::query_row<std::uint64_t>(
               *killer, "SELECT id FROM information_schema.processlist WHERE id = ? AND info LIKE 'SELECT SLEEP%'", id)
        .has_value();
  };
  while (!sleeping()) REQUIRE(slept.wait_for(std::chrono::milliseconds(20)) == std::future_status::timeout);
  db::kill_query(*killer, id);
  CHECK_THROWS_WITH(slept.get(), Contains("interrupted"));
}

TEST_CASE("database session: use_read_committed sets the session's isolation level") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  CHECK(db::query_row<std::string>(*connection, "SELECT @@session.tx_isolation") == "REPEATABLE-READ");
  db::use_read_committed(*connection);
  CHECK(db::query_row<std::string>(*connection, "SELECT @@session.tx_isolation") == "READ-COMMITTED");
}

TEST_CASE("database session: server_unix_time is the server's clock in unix seconds") {
  invites::testing::TestDatabase database;
  const auto connection = database.connect();
  const auto before = static_cast<std::int64_t>(std::time(nullptr));
  const auto server = db::server_unix_time(*connection);
  const auto after = static_cast<std::int64_t>(std::time(nullptr));
  // Same machine, same clock: within the second boundaries of the calls.
  CHECK(server >= before - 1);
  CHECK(server <= after + 1);
}
