#pragma once
// The HAProxy configuration of the reference deployment (deploy/README.md):
// deploy/haproxy.cfg.mustache, compiled in, filled with the addresses of the
// servers and of the database nodes.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace invites::deploy {

// A TCP listener for the servers' database URL: nodes[0] takes every
// connection, the others are backups in this order.
struct DatabaseFrontend {
  std::string listen;  // HOST:PORT
  std::vector<std::string> nodes;
};

struct HaproxyLayout {
  std::string listen;                // HOST:PORT of the HTTP frontend
  std::vector<std::string> servers;  // HOST:PORT of each invites-server
  std::vector<DatabaseFrontend> db_frontends;
  std::optional<std::string> stats_socket;  // path of HAProxy's admin socket
};

// An address or path that cannot go into the configuration; the message names it.
class HaproxyConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// "LISTEN=NODE[,NODE...]", e.g. "127.0.0.1:3306=10.0.0.1:3306,10.0.0.2:3306".
// Throws HaproxyConfigError.
DatabaseFrontend parse_database_frontend(std::string_view text);

// The configuration text. Throws HaproxyConfigError when an address is not
// HOST:PORT (letters, digits, '.', '-', ':' and IPv6 brackets only), the
// socket path has other characters than letters, digits, '/', '.', '_', '-',
// or there is no server.
std::string render_haproxy_config(const HaproxyLayout& layout);

// deploy/haproxy.cfg.mustache (generated source).
std::string_view haproxy_template();

}  // namespace invites::deploy
