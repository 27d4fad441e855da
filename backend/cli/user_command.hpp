#pragma once
#include "cli/command.hpp"

namespace invites::cli {

// `invites-server user add --db URL --username U --password-stdin [--grant 390,120]`:
// creates a staff user, or updates the password and permissions of an
// existing one. The password is the first line of stdin.
Command add_user_command(CLI::App& app);

}  // namespace invites::cli
