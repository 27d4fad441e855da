// `invites-server migrate` run on two Galera nodes at once (issue 11): one
// run applies the migrations, the other waits for it and finds nothing left
// to do; both succeed and every migration is applied once.
#include <future>
#include <memory>

#include <catch2/catch.hpp>

#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "support/child_process.hpp"
#include "support/galera_cluster.hpp"
#include "support/test_database.hpp"

using namespace invites;

TEST_CASE("two migrate runs at once on two Galera nodes: one applies, the other waits, both succeed", "[galera][cli]") {
  const auto cluster = testing::GaleraCluster::fixture();
  const int newest = db::embedded_migrations().back().version;
  // A few fresh databases: the two runs meet at a different point each time.
  for (int round = 0; round < 3; ++round) {
    testing::TestDatabase database(cluster.node(1));
    cluster.await_all_nodes();
    const auto migrate_on = [&](int node) {
      return std::async(std::launch::async, [&, node] {
        return testing::run_process(
            {testing::invites_server_path(), "migrate", "--db", cluster.node(node, database.name()).to_string()});
      });
    };
    auto first = migrate_on(1);
    auto second = migrate_on(2);
    const auto one = first.get();
    const auto two = second.get();
    INFO("node 1: " << one.output << "\nnode 2: " << two.output);
    CHECK(one.exit_code == 0);
    CHECK(two.exit_code == 0);

    const auto connection = db::connect(cluster.node(3, database.name()));
    CHECK(db::schema_version(*connection) == newest);
    CHECK(testing::count_rows(*connection, "SELECT COUNT(*) FROM schema_migrations") ==
          db::embedded_migrations().size());
    CHECK(testing::count_rows(*connection,
                              "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                              "AND table_name = 'send_outbox'") == 1);
  }
}
