// service::SentGroupCommit against a real MariaDB: messages handed in by
// several workers at once are recorded together, each with its own
// invitation; a row taken over under another lease is left alone; a
// database that comes back while the lease holds gets the record; one that
// cannot be reached once the lease is over makes record() throw with the
// row still 'sending' (never counted as sent).
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/migrations.hpp"
#include "service/sent_group_commit.hpp"
#include "support/test_database.hpp"

using Catch::Matchers::Contains;
using invites::repository::SentMessage;
using invites::service::SentGroupCommit;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t lease = 7;
const auto lease_holds = [] { return true; };
const auto lease_over = [] { return false; };

void execute(sql::Connection& connection, const std::string& statement) {
  std::unique_ptr<sql::Statement>(connection.createStatement())->execute(statement);
}

// A job with `count` outbox rows (ids 1..count) claimed under `lease`.
struct ClaimedOutbox {
  invites::testing::TestDatabase database;
  std::unique_ptr<sql::Connection> sql = database.connect();

  explicit ClaimedOutbox(int count) {
    invites::db::migrate(*sql);
    // The job's staff user and template do not matter here.
    execute(*sql, "SET FOREIGN_KEY_CHECKS = 0");
    execute(*sql,
            "INSERT INTO send_jobs (id, created_by, status, from_email, template_id, filter_json, send_groups, digest) "
            "VALUES (1, 1, 'running', 'billing@example.com', 1, '{}', 'new_users', 'x')");
    for (int id = 1; id <= count; ++id) {
      execute(*sql,
              "INSERT INTO send_outbox (id, job_id, email, contact_id, recipient_group, status, lease_token) "
              "VALUES (" +
                  std::to_string(id) + ", 1, 'person" + std::to_string(id) +
                  "@example.com', 1, 'new_users', 'sending', " + std::to_string(lease) + ")");
    }
    execute(*sql, "SET FOREIGN_KEY_CHECKS = 1");
  }

  std::string row(int id) {
    std::unique_ptr<sql::Statement> statement(sql->createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(
        "SELECT CONCAT_WS(' ', status, COALESCE(invite_id, '-'), attempts, COALESCE(lease_token, '-'), "
        "sent_at IS NOT NULL) FROM send_outbox WHERE id = " +
        std::to_string(id)));
    REQUIRE(rows->next());
    return rows->getString(1).asStdString();
  }
};

}  // namespace

TEST_CASE("messages of many workers are all recorded, each with its invitation", "[mariadb]") {
  constexpr int workers = 8, per_worker = 25;
  ClaimedOutbox outbox(workers * per_worker);
  SentGroupCommit commit([&] { return outbox.database.connect(); }, lease_holds);
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < per_worker; ++i) {
        const std::uint64_t id = static_cast<std::uint64_t>(w * per_worker + i + 1);
        commit.record(SentMessage{id, 1000 + id, lease});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int id = 1; id <= workers * per_worker; ++id) {
    INFO("outbox row " << id);
    CHECK(outbox.row(id) == "sent " + std::to_string(1000 + id) + " 1 - 1");
  }
  CHECK(commit.rounds() <= static_cast<std::uint64_t>(workers * per_worker));
}

TEST_CASE("messages handed in while a round is in flight share the next round", "[mariadb]") {
  ClaimedOutbox outbox(8);
  SentGroupCommit commit([&] { return outbox.database.connect(); }, lease_holds);
  // Hold row 1 so that the first round (row 1 alone) waits for the lock.
  auto blocker = outbox.database.connect();
  execute(*blocker, "START TRANSACTION");
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  std::unique_ptr<sql::ResultSet>(lock->executeQuery("SELECT id FROM send_outbox WHERE id = 1 FOR UPDATE"));
  std::vector<std::thread> threads;
  threads.emplace_back([&] { commit.record(SentMessage{1, 101, lease}); });
  std::this_thread::sleep_for(300ms);  // the first round has started and waits
  for (std::uint64_t id = 2; id <= 8; ++id)
    threads.emplace_back([&, id] { commit.record(SentMessage{id, 100 + id, lease}); });
  std::this_thread::sleep_for(500ms);  // the seven others are handed in meanwhile
  execute(*blocker, "COMMIT");
  for (auto& thread : threads) thread.join();
  CHECK(commit.rounds() == 2);
  for (int id = 1; id <= 8; ++id) CHECK(outbox.row(id) == "sent " + std::to_string(100 + id) + " 1 - 1");
}

TEST_CASE("a row taken over under another lease is not recorded, the others are", "[mariadb]") {
  ClaimedOutbox outbox(3);
  execute(*outbox.sql, "UPDATE send_outbox SET lease_token = 8 WHERE id = 2");
  SentGroupCommit commit([&] { return outbox.database.connect(); }, lease_holds);
  for (std::uint64_t id = 1; id <= 3; ++id) commit.record(SentMessage{id, 100 + id, lease});
  CHECK(outbox.row(1) == "sent 101 1 - 1");
  CHECK(outbox.row(2) == "sending - 0 8 0");
  CHECK(outbox.row(3) == "sent 103 1 - 1");
}

TEST_CASE("a database that comes back while the lease holds gets the record", "[mariadb]") {
  ClaimedOutbox outbox(1);
  int attempts = 0;
  SentGroupCommit commit(
      [&]() -> std::unique_ptr<sql::Connection> {
        if (++attempts < 4) throw std::runtime_error("database is down");  // a node failing over
        return outbox.database.connect();
      },
      lease_holds);
  commit.record(SentMessage{1, 101, lease});
  CHECK(attempts == 4);
  CHECK(outbox.row(1) == "sent 101 1 - 1");
}

TEST_CASE("without the database once the lease is over record() throws and the row stays 'sending'", "[mariadb]") {
  ClaimedOutbox outbox(1);
  SentGroupCommit commit([]() -> std::unique_ptr<sql::Connection> { throw std::runtime_error("database is down"); },
                         lease_over);
  CHECK_THROWS_WITH(commit.record(SentMessage{1, 101, lease}),
                    Contains("recording a sent message failed") && Contains("database is down"));
  CHECK(outbox.row(1) == "sending - 0 7 0");
}
