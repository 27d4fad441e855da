#include "support/galera_cluster.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "db/connection.hpp"
#include "support/child_process.hpp"

namespace invites::testing {
namespace {

std::string galera_script() { return std::string(INVITES_SOURCE_DIR) + "/scripts/galera-private.sh"; }

}  // namespace

GaleraCluster GaleraCluster::fixture() {
  const char* directory = std::getenv("INVITES_TEST_GALERA_DIR");
  if (directory == nullptr || *directory == '\0') {
    throw std::runtime_error(
        "INVITES_TEST_GALERA_DIR is not set: run this test through ctest, which starts the galera fixture, or start "
        "one with scripts/galera-private.sh start DIR and set the variable to DIR");
  }
  return GaleraCluster(directory);
}

GaleraCluster::GaleraCluster(std::filesystem::path directory) : directory_(std::move(directory)) {
  std::ifstream in(directory_ / "url");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) nodes_.push_back(db::parse_database_url(line));
  }
  if (nodes_.size() != node_count) {
    throw std::runtime_error("cannot read " + std::to_string(node_count) + " node URLs from " +
                             (directory_ / "url").string() + " (did the galera.start test fail?)");
  }
}

db::DatabaseUrl GaleraCluster::node(int n) const { return nodes_.at(static_cast<std::size_t>(n - 1)); }

db::DatabaseUrl GaleraCluster::node(int n, const std::string& database) const {
  auto url = node(n);
  url.database = database;
  return url;
}

std::string GaleraCluster::address(int n) const {
  const auto url = node(n);
  return url.host + ":" + std::to_string(url.port);
}

void GaleraCluster::await_all_nodes() const {
  // db::connect sets wsrep_sync_wait on Galera nodes: this SELECT waits for the node to catch up.
  for (int n = 1; n <= node_count; ++n) db::execute(*db::connect(node(n)), "SELECT 1 FROM information_schema.schemata");
}

void GaleraCluster::kill_node(int n) const { run_script({"kill-node", std::to_string(n), directory_.string()}); }

void GaleraCluster::start_node(int n) const { run_script({"start-node", std::to_string(n), directory_.string()}); }

void GaleraCluster::run_script(const std::vector<std::string>& arguments) const {
  std::vector<std::string> argv{"/bin/bash", galera_script()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  const auto result = run_process(argv);
  if (result.exit_code != 0) {
    throw std::runtime_error("galera-private.sh " + arguments.front() + " failed: " + result.output);
  }
}

}  // namespace invites::testing
