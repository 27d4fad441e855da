#include "cli/seed_command.hpp"

#include <iostream>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "cli/database_option.hpp"
#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "seed/default_template.hpp"
#include "seed/seeder.hpp"

namespace invites::cli {
namespace {

struct SeedCommandOptions {
  std::string database_url;
  std::size_t accounts = seed::SeedOptions{}.accounts;
  std::uint64_t seed = seed::SeedOptions{}.seed;
  bool replace = false;
};

int run_seed(const SeedCommandOptions& options) {
  const auto url = db::parse_database_url(options.database_url);
  const auto connection = db::connect(url);
  const int version = db::schema_version(*connection);
  if (version < db::embedded_migrations().back().version) {
    spdlog::error("the schema of {} is at version {}: run `invites-server migrate` first", url.redacted(), version);
    return 1;
  }
  seed::SeedOptions seed_options{.accounts = options.accounts, .seed = options.seed, .replace = options.replace};
  const std::size_t step = options.accounts >= 100'000 ? 100'000 : 0;
  if (step) {
    seed_options.progress = [step](std::size_t done) {
      if (done % step == 0) spdlog::info("{} accounts written", done);
    };
  }
  try {
    const auto summary = seed::seed_database(*connection, seed_options);
    std::cout << "seeded " << url.redacted() << " with seed " << options.seed << ":\n"
              << summary.describe() << std::endl;
    if (seed::install_default_template(*connection)) {
      std::cout << "installed the invitation template \"" << seed::default_invitation_template().name << "\""
                << std::endl;
    }
    return 0;
  } catch (const seed::DatabaseNotEmpty& e) {
    spdlog::error("{}", e.what());
    return 2;
  }
}

}  // namespace

Command add_seed_command(CLI::App& app) {
  const auto [command, options] = add_database_command<SeedCommandOptions>(
      app, "seed", "Write a deterministic demo data set (billing tables, portal users)");
  command->add_option("--accounts", options->accounts, "number of accounts")
      ->envname("INVITES_SEED_ACCOUNTS")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  command->add_option("--seed", options->seed, "random seed: the same seed writes the same rows")
      ->envname("INVITES_SEED")
      ->capture_default_str();
  command
      ->add_flag("--replace", options->replace,
                 "empty the billing tables and portal users first (otherwise a database with rows is refused)")
      ->envname("INVITES_SEED_REPLACE");
  return {command, [options] { return run_seed(*options); }};
}

}  // namespace invites::cli
