// db::ConnectionPool against real MariaDB servers: limits, lost connections,
// and invites-server answering 503 while its database is down and recovering
// once it is back (on a private MariaDB that the test stops and restarts).
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "db/connection.hpp"
#include "db/connection_pool.hpp"
#include "db/migrations.hpp"
#include "support/private_mariadb.hpp"
#include "support/server_process.hpp"
#include "support/staff_users.hpp"
#include "support/test_database.hpp"

using Catch::Matchers::Contains;
using invites::db::ConnectionPool;
using invites::db::DatabaseUnavailable;
using namespace std::chrono_literals;

namespace {

std::int64_t query_int(sql::Connection& connection, const std::string& query) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
  REQUIRE(rows->next());
  return rows->getInt64(1);
}

}  // namespace

TEST_CASE("pool: at most N connections, an exhausted pool gives up after the timeout") {
  invites::testing::TestDatabase database;
  ConnectionPool pool(database.url(), {.size = 2, .acquire_timeout = 300ms});
  CHECK(pool.open_count() == 0);  // lazy
  {
    auto first = pool.acquire();
    auto second = pool.acquire();
    CHECK(pool.open_count() == 2);
    CHECK(query_int(*first, "SELECT CONNECTION_ID()") != query_int(*second, "SELECT CONNECTION_ID()"));
    const auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(pool.acquire(), DatabaseUnavailable);
    CHECK(std::chrono::steady_clock::now() - started >= 250ms);
  }
  // Both came back and are reused.
  auto again = pool.acquire();
  CHECK(pool.open_count() == 2);
  CHECK(query_int(*again, "SELECT 1") == 1);
}

TEST_CASE("pool: a waiting borrower gets the connection another one returns") {
  invites::testing::TestDatabase database;
  ConnectionPool pool(database.url(), {.size = 1, .acquire_timeout = 5s});
  auto held = std::make_unique<ConnectionPool::Lease>(pool.acquire());
  const auto id = query_int(**held, "SELECT CONNECTION_ID()");
  std::thread releaser([&] {
    std::this_thread::sleep_for(100ms);
    held.reset();
  });
  auto next = pool.acquire();
  releaser.join();
  CHECK(query_int(*next, "SELECT CONNECTION_ID()") == id);
}

TEST_CASE("pool: a connection lost during use is dropped and replaced") {
  invites::testing::TestDatabase database;
  const auto admin = database.connect();
  ConnectionPool pool(database.url(), {.size = 1, .acquire_timeout = 1s});
  std::int64_t first_id = 0;
  try {
    auto lease = pool.acquire();
    first_id = query_int(*lease, "SELECT CONNECTION_ID()");
    invites::db::execute(*admin, "KILL CONNECTION " + std::to_string(first_id));
    std::this_thread::sleep_for(100ms);
    query_int(*lease, "SELECT 1");
    FAIL("the killed connection still answered");
  } catch (const sql::SQLException& e) {
    INFO(e.what() << " error " << e.getErrorCode());
    CHECK(invites::db::is_connection_error(e.getErrorCode()));
  }
  CHECK(pool.open_count() == 0);
  auto lease = pool.acquire();
  CHECK(query_int(*lease, "SELECT CONNECTION_ID()") != first_id);
}

TEST_CASE("pool: an unreachable database is DatabaseUnavailable with the reason") {
  auto url = invites::testing::fixture_database_url();
  url.port = 1;  // nothing listens there
  ConnectionPool pool(url, {.size = 1});
  try {
    pool.acquire();
    FAIL("connected to port 1");
  } catch (const DatabaseUnavailable& e) {
    CHECK_THAT(e.what(), Contains("cannot connect"));
  }
  CHECK(pool.open_count() == 0);
}

TEST_CASE("pool: the server answers 503 while MariaDB is down and recovers after its restart") {
  invites::testing::PrivateMariaDb mariadb;
  {
    const auto connection = invites::db::connect(mariadb.url());
    invites::db::migrate(*connection);
    invites::testing::create_staff_user(*connection, "alice", "secret", {390});
  }
  invites::testing::ServerProcess server(mariadb.url(), invites::testing::ServerProcess::Options{});
  httplib::Client client(server.host(), server.port());
  const auto login = invites::testing::login_staff(client, "alice", "secret");
  REQUIRE(client.Get("/api/me", login.headers(false))->status == 200);

  mariadb.run("stop");
  for (const auto& response :
       {client.Get("/api/me", login.headers(false)),
        client.Post("/api/session", R"({"username":"alice","password":"secret"})", "application/json")}) {
    REQUIRE(response);
    INFO(response->body);
    CHECK(response->status == 503);
    CHECK(response->get_header_value("Content-Type") == "application/json");
    CHECK(nlohmann::json::parse(response->body).at("error").at("code") == "database_unavailable");
  }

  const std::string restarted = mariadb.run("start");
  REQUIRE_THAT(restarted, Contains(":" + std::to_string(mariadb.url().port) + "/"));  // same port
  const auto me = client.Get("/api/me", login.headers(false));
  REQUIRE(me);
  INFO(me->body);
  CHECK(me->status == 200);
  CHECK(server.stop() == 0);
}
