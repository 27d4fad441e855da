#include "cli/haproxy_config_command.hpp"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "deploy/haproxy_config.hpp"

namespace invites::cli {
namespace {

struct HaproxyConfigOptions {
  std::string listen = "127.0.0.1:8080";
  std::vector<std::string> servers;
  std::vector<std::string> db_frontends;
  std::string stats_socket;
};

int run_haproxy_config(const HaproxyConfigOptions& options) {
  deploy::HaproxyLayout layout{.listen = options.listen, .servers = options.servers, .db_frontends = {}};
  for (const auto& text : options.db_frontends) layout.db_frontends.push_back(deploy::parse_database_frontend(text));
  if (!options.stats_socket.empty()) layout.stats_socket = options.stats_socket;
  std::cout << deploy::render_haproxy_config(layout);
  return 0;
}

}  // namespace

Command add_haproxy_config_command(CLI::App& app) {
  auto options = std::make_shared<HaproxyConfigOptions>();
  auto* command = app.add_subcommand(
      "haproxy-config", "Print an HAProxy configuration for several servers on a Galera cluster (deploy/README.md)");
  command->add_option("--listen", options->listen, "address of HAProxy's HTTP frontend")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  command->add_option("--server", options->servers, "an invites-server to balance over (repeat for each)")
      ->type_name("HOST:PORT")
      ->required();
  command
      ->add_option("--db-frontend", options->db_frontends,
                   "a TCP listener for the servers' --db URL: its first node takes the connections, the others are "
                   "backups (repeat for more listeners)")
      ->type_name("LISTEN=NODE,NODE,...");
  command->add_option("--stats-socket", options->stats_socket, "path of HAProxy's admin socket")->type_name("PATH");
  return {command, [options] { return run_haproxy_config(*options); }};
}

}  // namespace invites::cli
