#pragma once
#include "cli/command.hpp"

namespace invites::cli {

// haproxy-config: prints the HAProxy configuration of the reference
// deployment (deploy/README.md) for the given servers and database nodes.
Command add_haproxy_config_command(CLI::App& app);

}  // namespace invites::cli
