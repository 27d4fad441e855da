// invites-server: one binary, one subcommand per job (docs/design.md §4).
#include <exception>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "cli/command.hpp"
#include "cli/haproxy_config_command.hpp"
#include "cli/logging.hpp"
#include "cli/migrate_command.hpp"
#include "cli/seed_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/user_command.hpp"
#include "security/passwords.hpp"

int main(int argc, char** argv) {
  invites::cli::setup_logging();
  invites::security::initialize();  // sodium_init(), once, before any thread starts

  CLI::App app{"Bulk Portal Invites server", "invites-server"};
  app.require_subcommand(1);
  const std::vector<invites::cli::Command> commands{
      invites::cli::add_migrate_command(app),        invites::cli::add_serve_command(app),
      invites::cli::add_user_command(app),           invites::cli::add_seed_command(app),
      invites::cli::add_haproxy_config_command(app),
  };
  CLI11_PARSE(app, argc, argv);

  try {
    for (const auto& command : commands) {
      if (command.app->parsed()) return command.run();
    }
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 1;  // unreachable: require_subcommand(1)
}
