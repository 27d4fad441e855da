// The login throttle holds across servers (issue 11, issue 12 item 6): its
// counts live in the database, so a guesser who spreads attempts over two
// servers on two Galera nodes is stopped at the same limit as on one, and
// concurrent guesses through both get exactly that many checked.
#include <future>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/galera_cluster.hpp"
#include "support/send_stack.hpp"

using namespace invites;
using nlohmann::json;

namespace {

int login_status(const testing::ServerProcess& server, const std::string& password) {
  httplib::Client client(server.host(), server.port());
  client.set_read_timeout(60, 0);
  const auto answer =
      client.Post("/api/session", json{{"username", "alice"}, {"password", password}}.dump(), "application/json");
  return answer ? answer->status : -1;
}

}  // namespace

TEST_CASE("wrong passwords through two servers on two Galera nodes count together: 5 are checked, then 429",
          "[galera][http]") {
  const auto cluster = testing::GaleraCluster::fixture();
  testing::SendStack stack(cluster.node(1));
  auto& a = stack.start_server({}, cluster.node(1, stack.database().name()));
  auto& b = stack.start_server({}, cluster.node(2, stack.database().name()));

  SECTION("one after another, alternating servers") {
    for (int i = 0; i < 5; ++i) CHECK(login_status(i % 2 ? b : a, "wrong") == 401);
    CHECK(login_status(a, "wrong") == 429);
    CHECK(login_status(b, "correct horse battery staple") == 429);
  }
  SECTION("twenty at once, half through each server") {
    std::vector<std::future<int>> answers;
    for (int i = 0; i < 20; ++i) {
      answers.push_back(std::async(std::launch::async, [&, i] { return login_status(i % 2 ? b : a, "wrong"); }));
    }
    int checked = 0, throttled = 0;
    for (auto& answer : answers) {
      const int status = answer.get();
      checked += status == 401;
      throttled += status == 429;
    }
    CHECK(checked == 5);
    CHECK(throttled == 15);
  }
}
