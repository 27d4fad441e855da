// Two servers claiming the same outbox rows at once through two Galera nodes
// (issue 11): their transactions meet in certification, the later one is
// aborted (error 1213) and retried (db/retry.hpp), and every row ends up
// claimed exactly once, under the lease of the claimer that got it.
#include <algorithm>
#include <latch>
#include <map>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/connection.hpp"
#include "db/retry.hpp"
#include "repository/outbox.hpp"
#include "repository/sender_leases.hpp"
#include "support/galera_cluster.hpp"
#include "support/send_stack.hpp"

using namespace invites;

namespace {

constexpr int rows = 400;

std::vector<std::uint64_t> column(sql::Connection& connection, const std::string& query) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> result(statement->executeQuery(query));
  std::vector<std::uint64_t> values;
  while (result->next()) values.push_back(result->getUInt64(1));
  return values;
}

// A running job with one pending outbox row per person.
std::uint64_t write_job(sql::Connection& connection, const std::vector<testing::Person>& people) {
  testing::write_people(connection, people);
  db::execute(connection,
              "INSERT INTO send_jobs (created_by, status, from_email, template_id, filter_json, send_groups, digest) "
              "SELECT MIN(s.id), 'running', 'north@haul.example.com', MIN(t.id), '{}', 'new_users', 'x' "
              "FROM staff_users s, notification_templates t");
  const auto job = column(connection, "SELECT MAX(id) FROM send_jobs").front();
  db::execute(connection, "INSERT INTO send_outbox (job_id, email, contact_id, recipient_group) SELECT " +
                              std::to_string(job) + ", email, id, 'new_users' FROM contacts");
  return job;
}

}  // namespace

TEST_CASE("two claimers on two Galera nodes take the same rows at once: conflicts are retried, no row is claimed twice",
          "[galera]") {
  const auto cluster = testing::GaleraCluster::fixture();
  testing::SendStack stack(cluster.node(1));
  const auto job = write_job(stack.sql(), testing::numbered_people(rows));
  const auto retries_before = db::conflict_retries();

  // Node n's connection, lease and claims (written by its thread alone).
  std::map<int, std::unique_ptr<sql::Connection>> connections;
  std::map<int, std::uint64_t> leases;
  std::map<int, std::vector<std::uint64_t>> claimed;
  std::map<int, std::string> errors;  // what stopped a claimer early
  for (const int node : {1, 2}) {
    connections[node] = db::connect(cluster.node(node, stack.database().name()));
    db::execute(*connections[node], "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");  // as the workers
    // A causal read (wsrep_sync_wait): the node has applied the schema and the job before the lease is written.
    REQUIRE(column(*connections[node], "SELECT COUNT(*) FROM send_outbox").front() == rows);
    leases[node] = repository::take_sender_lease(*connections[node], "claimer-" + std::to_string(node), "test",
                                                 std::chrono::seconds(120));
    claimed[node];
    errors[node];
  }
  std::vector<std::thread> claimers;
  std::latch start(2);  // both claim from the first batch on, so that they meet
  for (const int node : {1, 2}) {
    claimers.emplace_back(
        [&, node, &connection = *connections.at(node), &mine = claimed.at(node), &error = errors.at(node)] {
          start.arrive_and_wait();
          try {
            for (;;) {
              const auto batch =
                  repository::claim_batch(connection, job, "claimer-" + std::to_string(node), leases.at(node), 5);
              if (batch.empty()) return;
              for (const auto& recipient : batch) mine.push_back(recipient.outbox_id);
            }
          } catch (const std::exception& e) {
            error = e.what();
          }
        });
  }
  for (auto& claimer : claimers) claimer.join();
  for (const auto& [node, error] : errors) {
    INFO("node " << node);
    CHECK(error.empty());
  }

  std::set<std::uint64_t> both;
  for (const auto& [node, ids] : claimed) {
    INFO("node " << node << " claimed " << ids.size());
    CHECK(!ids.empty());
    both.insert(ids.begin(), ids.end());
  }
  CHECK(claimed[1].size() + claimed[2].size() == rows);  // none twice
  CHECK(both.size() == rows);                            // none left out
  for (const int node : {1, 2}) {
    const auto under_lease =
        column(stack.sql(), "SELECT id FROM send_outbox WHERE status = 'sending' AND lease_token = " +
                                std::to_string(leases[node]) + " ORDER BY id");
    auto mine = claimed[node];
    std::sort(mine.begin(), mine.end());
    CHECK(under_lease == mine);
  }
  CHECK(db::conflict_retries() > retries_before);  // they did meet
}
