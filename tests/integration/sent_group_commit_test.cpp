// service::SentGroupCommit against a real MariaDB: messages handed in by
// several workers at once are recorded together, each with its own
// invitation; a row taken over by another instance is left alone; a
// database that cannot be reached makes record() throw with the row still
// 'sending' (to be put back, never counted as sent).
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

constexpr const char* instance = "0123456789abcdef0123456789abcdef";

void execute(sql::Connection& connection, const std::string& statement) {
  std::unique_ptr<sql::Statement>(connection.createStatement())->execute(statement);
}

// A job with `count` outbox rows (ids 1..count) claimed by `instance`.
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
              "INSERT INTO send_outbox (id, job_id, email, contact_id, recipient_group, status, claimed_by) "
              "VALUES (" +
                  std::to_string(id) + ", 1, 'person" + std::to_string(id) +
                  "@example.com', 1, 'new_users', 'sending', '" + instance + "')");
    }
    execute(*sql, "SET FOREIGN_KEY_CHECKS = 1");
  }

  std::string row(int id) {
    std::unique_ptr<sql::Statement> statement(sql->createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(
        "SELECT CONCAT_WS(' ', status, COALESCE(invite_id, '-'), attempts, COALESCE(claimed_by, '-'), "
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
  SentGroupCommit commit([&] { return outbox.database.connect(); }, instance);
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < per_worker; ++i) {
        const std::uint64_t id = static_cast<std::uint64_t>(w * per_worker + i + 1);
        commit.record(SentMessage{id, 1000 + id});
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
  SentGroupCommit commit([&] { return outbox.database.connect(); }, instance);
  // Hold row 1 so that the first round (row 1 alone) waits for the lock.
  auto blocker = outbox.database.connect();
  execute(*blocker, "START TRANSACTION");
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  std::unique_ptr<sql::ResultSet>(lock->executeQuery("SELECT id FROM send_outbox WHERE id = 1 FOR UPDATE"));
  std::vector<std::thread> threads;
  threads.emplace_back([&] { commit.record(SentMessage{1, 101}); });
  std::this_thread::sleep_for(300ms);  // the first round has started and waits
  for (std::uint64_t id = 2; id <= 8; ++id) threads.emplace_back([&, id] { commit.record(SentMessage{id, 100 + id}); });
  std::this_thread::sleep_for(500ms);  // the seven others are handed in meanwhile
  execute(*blocker, "COMMIT");
  for (auto& thread : threads) thread.join();
  CHECK(commit.rounds() == 2);
  for (int id = 1; id <= 8; ++id) CHECK(outbox.row(id) == "sent " + std::to_string(100 + id) + " 1 - 1");
}

TEST_CASE("a row taken over by another instance is not recorded, the others are", "[mariadb]") {
  ClaimedOutbox outbox(3);
  execute(*outbox.sql, "UPDATE send_outbox SET claimed_by = 'ffffffffffffffffffffffffffffffff' WHERE id = 2");
  SentGroupCommit commit([&] { return outbox.database.connect(); }, instance);
  for (std::uint64_t id = 1; id <= 3; ++id) commit.record(SentMessage{id, 100 + id});
  CHECK(outbox.row(1) == "sent 101 1 - 1");
  CHECK(outbox.row(2) == "sending - 0 ffffffffffffffffffffffffffffffff 0");
  CHECK(outbox.row(3) == "sent 103 1 - 1");
}

TEST_CASE("without the database record() throws and the row stays 'sending'", "[mariadb]") {
  ClaimedOutbox outbox(1);
  SentGroupCommit commit([]() -> std::unique_ptr<sql::Connection> { throw std::runtime_error("database is down"); },
                         instance);
  CHECK_THROWS_WITH(commit.record(SentMessage{1, 101}),
                    Contains("recording a sent message failed") && Contains("database is down"));
  CHECK(outbox.row(1) == "sending - 0 " + std::string(instance) + " 0");
}
