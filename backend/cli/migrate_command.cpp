#include "cli/migrate_command.hpp"

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "cli/database_option.hpp"
#include "db/connection.hpp"
#include "db/migrations.hpp"

namespace invites::cli {
namespace {

struct MigrateOptions {
  std::string database_url;
};

int run_migrate(const MigrateOptions& options) {
  const auto url = db::parse_database_url(options.database_url);
  const auto connection = db::connect(url);
  const auto result = db::migrate(*connection);
  if (result.applied.empty()) {
    spdlog::info("schema of {} is up to date at version {}", url.redacted(), result.version_after);
  } else {
    spdlog::info("schema of {} migrated from version {} to {} ({} migration(s) applied)", url.redacted(),
                 result.version_before, result.version_after, result.applied.size());
  }
  return 0;
}

}  // namespace

Command add_migrate_command(CLI::App& app) {
  const auto added = add_database_command<MigrateOptions>(app, "migrate", "Create or upgrade the database schema");
  return {added.command, [options = added.options] { return run_migrate(*options); }};
}

}  // namespace invites::cli
