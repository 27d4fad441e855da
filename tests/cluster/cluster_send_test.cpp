// Sending with several servers on a 3-node Galera Cluster (issue 11, SPEC
// §10), counted at a real SMTP sink: every recipient gets exactly one
// message although each server talks to a different database node.
#include <catch2/catch.hpp>

#include "support/galera_cluster.hpp"
#include "support/send_stack.hpp"

using namespace invites;

TEST_CASE("one job drained by two servers on two Galera nodes: every recipient gets exactly one message",
          "[galera][http][smtp]") {
  const auto cluster = testing::GaleraCluster::fixture();
  testing::SendStack stack(cluster.node(1));
  const auto people = testing::numbered_people(600);
  testing::write_people(stack.sql(), people);
  // Slow enough that the servers check each other's liveness while both
  // hold rows (every 2 s): a server taken for dead has its rows handed out again.
  const std::vector<std::string> args{"--smtp-concurrency", "4", "--rate", "100"};
  stack.start_server(args, cluster.node(1, stack.database().name()));
  stack.start_server(args, cluster.node(2, stack.database().name()));

  const auto job_id = stack.send(stack.load());
  const auto job = stack.wait_completed(job_id, std::chrono::seconds(120));
  CHECK(job["sent"] == 600);
  testing::check_exactly_once(stack, people);
}
