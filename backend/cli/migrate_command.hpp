#pragma once
#include "cli/command.hpp"

namespace invites::cli {

// `invites-server migrate --db URL`: brings the schema to the newest version
// this binary carries; a no-op when it is already there.
Command add_migrate_command(CLI::App& app);

}  // namespace invites::cli
