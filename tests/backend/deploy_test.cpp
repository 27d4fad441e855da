// The reference deployment (deploy/, deploy/README.md) applies what
// SECURITY.md asks of a reverse proxy (issue 12 items 2 and 6): the HAProxy
// configuration `invites-server haproxy-config` renders cuts slow request
// heads and refuses large bodies as the server itself does, and the example
// environment trusts the X-Forwarded-For that configuration adds.
#include <stdio.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "deploy/haproxy_config.hpp"
#include "file_text.hpp"
#include "http/server.hpp"

using Catch::Matchers::Contains;

namespace {

const std::filesystem::path source_dir = INVITES_SOURCE_DIR;

std::string rendered_config() {
  return invites::deploy::render_haproxy_config(
      {.listen = "0.0.0.0:8080",
       .servers = {"10.0.0.21:8081", "10.0.0.22:8081"},
       .db_frontends = {invites::deploy::parse_database_frontend("127.0.0.1:3306=10.0.0.11:3306,10.0.0.12:3306")},
       .stats_socket = std::nullopt});
}

// The value of NAME=VALUE in an environment file; "" when no line sets it.
std::string environment_value(const std::string& file, const std::string& name) {
  std::istringstream lines(file);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + "=", 0) == 0) return line.substr(name.size() + 1);
  }
  return "";
}

}  // namespace

TEST_CASE("haproxy-config: the HTTP frontend cuts slow heads at the server's deadline and refuses large bodies") {
  const std::string config = rendered_config();
  const auto server_timeout =
      std::chrono::duration_cast<std::chrono::seconds>(invites::http::ConnectionLimits{}.receive_timeout);
  const auto max_body = invites::http::ServerConfig{}.max_body_bytes;
  const auto frontend = config.find("frontend invites_http");
  const auto backend = config.find("backend invites_servers");
  REQUIRE(frontend != std::string::npos);
  REQUIRE(backend > frontend);
  const std::string http_frontend = config.substr(frontend, backend - frontend);
  CHECK_THAT(http_frontend, Contains("\n  timeout http-request " + std::to_string(server_timeout.count()) + "s\n"));
  CHECK_THAT(http_frontend, Contains("\n  http-request deny deny_status 413 if { req.hdr_val(content-length) gt " +
                                     std::to_string(max_body) + " }\n"));
}

TEST_CASE("haproxy-config: HAProxy accepts the configuration it renders") {
  // scripts/setup.sh installs haproxy (the cluster tests run it too).
  REQUIRE(std::filesystem::exists("/usr/sbin/haproxy"));
  const std::string config = rendered_config();
  FILE* check = popen("/usr/sbin/haproxy -c -q -f /dev/stdin", "w");
  REQUIRE(check != nullptr);
  fwrite(config.data(), 1, config.size(), check);
  const int status = pclose(check);
  INFO(config);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("deploy: the example environment trusts the X-Forwarded-For the rendered HAProxy adds") {
  CHECK_THAT(rendered_config(), Contains("\n  option forwardfor\n"));
  // Without --trusted-proxy every client behind HAProxy would be one address to the login throttle.
  const std::string trusted = environment_value(invites::testing::file_text(source_dir / "deploy/systemd/invites.env"),
                                                "INVITES_TRUSTED_PROXY");
  CHECK_FALSE(trusted.empty());
  CHECK(trusted.find_first_not_of("0123456789.,:abcdef[]") == std::string::npos);
  const std::string readme = invites::testing::file_text(source_dir / "deploy/README.md");
  CHECK_THAT(readme, Contains("`--trusted-proxy` (`INVITES_TRUSTED_PROXY`)"));
}
