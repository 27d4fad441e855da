// GET /healthz/live and /healthz/ready (issue 11, deploy/README.md "Health
// endpoints"): live is 200 whenever the process serves HTTP; ready is 503,
// naming what is missing, while the Load index is being built, while the
// database takes no writes, and from SIGTERM on while the server drains
// (--shutdown-grace-seconds), and 200 otherwise.
#include <signal.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "support/private_mariadb.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

using namespace invites;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct Answer {
  int status = 0;
  json body;
};

Answer get(const testing::ServerProcess& server, const std::string& path) {
  httplib::Client client(server.host(), server.port());
  client.set_connection_timeout(2, 0);
  const auto response = client.Get(path);
  REQUIRE(response);
  INFO(path << ": " << response->body);
  CHECK(response->get_header_value("Cache-Control") == "no-store");
  return {response->status, json::parse(response->body)};
}

// Asks /healthz/ready until `done` holds for its answer (REQUIREd within `timeout`); the answer.
Answer wait_ready(const testing::ServerProcess& server, const std::function<bool(const Answer&)>& done,
                  std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto answer = get(server, "/healthz/ready");
    if (done(answer)) return answer;
    INFO("last answer: " << answer.status << " " << answer.body.dump());
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(100ms);
  }
}

bool is_ready(const Answer& answer) { return answer.status == 200; }

const json ready_body{{"status", "ready"}, {"index", "built"}, {"database", "writable"}, {"stopping", false}};

}  // namespace

TEST_CASE("health: live is 200 at once, and ready is 503 while the Load index is being built", "[mariadb][http]") {
  testing::TestDatabase database;
  db::migrate(*database.connect());
  // The index is built from --db-read, where nothing answers: it stays "building".
  auto unreachable = database.url();
  unreachable.port = 1;
  testing::ServerProcess server(database.url(),
                                testing::ServerProcess::Options{.extra_args = {"--db-read", unreachable.to_string()}});

  const auto live = get(server, "/healthz/live");
  CHECK(live.status == 200);
  CHECK(live.body == json{{"status", "live"}});

  // Once the sender's lease is written the database counts as writable; the index is what is missing.
  const auto ready = wait_ready(
      server, [](const Answer& answer) { return answer.body.value("database", "") == "writable"; }, 20s);
  CHECK(ready.status == 503);
  CHECK(ready.body ==
        json{{"status", "not_ready"}, {"index", "building"}, {"database", "writable"}, {"stopping", false}});
  CHECK(server.stop() == 0);
}

TEST_CASE("health: ready is 200 when ready, 503 not_writable while the database is down, 200 again after",
          "[mariadb][http]") {
  testing::PrivateMariaDb mariadb;
  db::migrate(*db::connect(mariadb.url()));
  testing::ServerProcess server(mariadb.url(), testing::ServerProcess::Options{});

  CHECK(wait_ready(server, is_ready, 20s).body == ready_body);

  mariadb.run("stop");
  // The last lease renewal gets older than a few seconds.
  const auto down = wait_ready(
      server, [](const Answer& answer) { return answer.status != 200; }, 20s);
  CHECK(down.status == 503);
  CHECK(down.body ==
        json{{"status", "not_ready"}, {"index", "built"}, {"database", "not_writable"}, {"stopping", false}});
  CHECK(get(server, "/healthz/live").status == 200);

  mariadb.run("start");
  CHECK(wait_ready(server, is_ready, 30s).body == ready_body);
  CHECK(server.stop() == 0);
}

TEST_CASE("health: from SIGTERM on ready is 503 while the server still serves for the grace, then it stops",
          "[mariadb][http]") {
  testing::TestDatabase database;
  db::migrate(*database.connect());
  testing::ServerProcess server(database.url(),
                                testing::ServerProcess::Options{.extra_args = {"--shutdown-grace-seconds", "3"}});
  wait_ready(server, is_ready, 20s);

  const auto signalled = std::chrono::steady_clock::now();
  server.send_signal(SIGTERM);
  std::this_thread::sleep_for(500ms);
  const auto draining = get(server, "/healthz/ready");
  CHECK(draining.status == 503);
  CHECK(draining.body ==
        json{{"status", "not_ready"}, {"index", "built"}, {"database", "writable"}, {"stopping", true}});
  // Still serving: a load balancer's requests in the meantime are answered.
  CHECK(get(server, "/healthz/live").status == 200);
  CHECK(get(server, "/healthz").status == 200);

  CHECK(server.wait_for_exit(20s) == 0);
  CHECK(std::chrono::steady_clock::now() - signalled >= 3s);
}
