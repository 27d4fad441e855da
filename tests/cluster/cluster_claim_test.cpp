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

std::uint64_t pending_rows(sql::Connection& connection, std::uint64_t job) {
  return column(connection,
                "SELECT COUNT(*) FROM send_outbox WHERE status = 'pending' AND job_id = " + std::to_string(job))
      .front();
}

}  // namespace

TEST_CASE("two claimers on two Galera nodes take the same rows at once: conflicts are retried, no row is claimed twice",
          "[galera]") {
  const auto cluster = testing::GaleraCluster::fixture();
  testing::SendStack stack(cluster.node(1));
  testing::write_people(stack.sql(), testing::numbered_people(rows));

  std::map<int, std::unique_ptr<sql::Connection>> connections;
  std::map<int, std::uint64_t> leases;
  for (const int node : {1, 2}) {
    connections[node] = db::connect(cluster.node(node, stack.database().name()));
    db::execute(*connections[node], "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");  // as the workers
    // A causal read (wsrep_sync_wait): the node has applied the schema and the people before the lease is written.
    REQUIRE(column(*connections[node], "SELECT COUNT(*) FROM contacts").front() == rows);
    leases[node] = repository::take_sender_lease(*connections[node], "claimer-" + std::to_string(node), "test",
                                                 std::chrono::seconds(120));
  }

  // Whether two claimers meet in certification depends on how the two
  // threads are scheduled: on a busy machine one can take a whole job before
  // the other starts. So the race is run on new jobs until they have met
  // (each round must keep every row claimed exactly once either way).
  bool met = false;
  for (int round = 1; round <= 6 && !met; ++round) {
    INFO("round " << round);
    const auto job = testing::write_running_job(stack.sql());
    const auto retries_before = db::conflict_retries();
    std::map<int, std::vector<std::uint64_t>> claimed{{1, {}}, {2, {}}};  // written by node n's thread alone
    std::map<int, std::string> errors{{1, {}}, {2, {}}};                  // what stopped a claimer early
    std::vector<std::thread> claimers;
    std::latch start(2);  // both claim from the first batch on, so that they can meet
    for (const int node : {1, 2}) {
      claimers.emplace_back(
          [&, node, &connection = *connections.at(node), &mine = claimed.at(node), &error = errors.at(node)] {
            start.arrive_and_wait();
            try {
              // An empty batch can also mean that the rows left are being
              // applied from the other node at this moment: done only when
              // none is pending.
              for (;;) {
                const auto batch =
                    repository::claim_batch(connection, job, "claimer-" + std::to_string(node), leases.at(node), 5);
                for (const auto& recipient : batch) mine.push_back(recipient.outbox_id);
                if (batch.empty() && pending_rows(connection, job) == 0) return;
              }
            } catch (const std::exception& e) {
              error = e.what();
            }
          });
    }
    for (auto& claimer : claimers) claimer.join();
    for (const auto& [node, error] : errors) {
      INFO("node " << node);
      REQUIRE(error.empty());
    }

    std::set<std::uint64_t> both;
    for (const auto& [node, ids] : claimed) both.insert(ids.begin(), ids.end());
    CHECK(claimed[1].size() + claimed[2].size() == rows);  // none twice
    CHECK(both.size() == rows);                            // none left out
    for (const int node : {1, 2}) {
      const auto under_lease = column(
          stack.sql(), "SELECT id FROM send_outbox WHERE status = 'sending' AND job_id = " + std::to_string(job) +
                           " AND lease_token = " + std::to_string(leases[node]) + " ORDER BY id");
      auto mine = claimed[node];
      std::sort(mine.begin(), mine.end());
      CHECK(under_lease == mine);
    }
    met = !claimed[1].empty() && !claimed[2].empty() && db::conflict_retries() > retries_before;
  }
  CHECK(met);  // the conflict path was taken
}
