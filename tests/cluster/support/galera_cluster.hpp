#pragma once
// The private 3-node Galera Cluster of the `galera` CTest fixture
// (scripts/galera-private.sh, tests/cluster/galera_fixture.cmake), for tests
// that run servers on different database nodes and make nodes fail.
#include <filesystem>
#include <string>
#include <vector>

#include "db/database_url.hpp"

namespace invites::testing {

class GaleraCluster {
 public:
  // The fixture's cluster: its folder comes from the environment variable
  // INVITES_TEST_GALERA_DIR (set by tests/cluster/CMakeLists.txt). Throws
  // std::runtime_error explaining what is missing.
  static GaleraCluster fixture();

  static constexpr int node_count = 3;
  // Node n (1..3) with the fixture's database "invites", or with `database`.
  db::DatabaseUrl node(int n) const;
  db::DatabaseUrl node(int n, const std::string& database) const;
  // "127.0.0.1:PORT" of node n, for HAProxy.
  std::string address(int n) const;

  // Returns once every node has applied what was committed before the call
  // (a causal read on each): a database just created on one node can be
  // used on all of them.
  void await_all_nodes() const;

  // kill -9 of node n (a crashed database node); the others carry on.
  void kill_node(int n) const;
  // Node n joins the running cluster again (a full state transfer) and is synced when this returns.
  void start_node(int n) const;

 private:
  explicit GaleraCluster(std::filesystem::path directory);
  void run_script(const std::vector<std::string>& arguments) const;

  std::filesystem::path directory_;
  std::vector<db::DatabaseUrl> nodes_;
};

}  // namespace invites::testing
