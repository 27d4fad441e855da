#pragma once
#include "cli/command.hpp"

namespace invites::cli {

// `invites-server serve --db URL [--listen HOST:PORT] [--web-root DIR]`:
// runs the HTTP server until SIGINT/SIGTERM.
Command add_serve_command(CLI::App& app);

}  // namespace invites::cli
