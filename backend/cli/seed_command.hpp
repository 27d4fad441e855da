#pragma once
#include "cli/command.hpp"

namespace invites::cli {

// `invites-server seed --db URL [--accounts N] [--seed S] [--replace]`:
// writes the deterministic demo data set (docs/design.md §4) into a migrated database.
Command add_seed_command(CLI::App& app);

}  // namespace invites::cli
