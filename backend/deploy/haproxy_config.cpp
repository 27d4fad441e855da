#include "deploy/haproxy_config.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace invites::deploy {
namespace {

namespace mustache = kainjow::mustache;

// HOST:PORT, with characters that cannot end a configuration line or start
// another keyword: whatever else a caller passes is refused, never escaped.
void check_address(const std::string& address, const std::string& what) {
  const auto colon = address.rfind(':');
  const bool host_ok =
      colon != std::string::npos && colon > 0 &&
      std::all_of(address.begin(), address.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
      });
  unsigned port = 0;
  const char* port_begin = address.data() + (colon == std::string::npos ? 0 : colon + 1);
  const char* end = address.data() + address.size();
  const auto [rest, error] = std::from_chars(port_begin, end, port);
  if (!host_ok || error != std::errc() || rest != end || port == 0 || port > 65535) {
    throw HaproxyConfigError(what + ": '" + address + "' is not HOST:PORT (e.g. 127.0.0.1:8080)");
  }
}

// A template entry {name, address}: `address` checked (as `what`), named
// `prefix` with its 1-based position.
mustache::data numbered_address(const std::string& prefix, std::size_t index, const std::string& address,
                                const std::string& what) {
  check_address(address, what);
  mustache::data entry;
  entry.set("name", prefix + std::to_string(index + 1));
  entry.set("address", address);
  return entry;
}

void check_socket_path(const std::string& path) {
  const bool ok = !path.empty() && path.front() == '/' && std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' || c == '-';
  });
  if (!ok) throw HaproxyConfigError("stats socket: '" + path + "' is not an absolute path of letters, digits, /._-");
}

}  // namespace

DatabaseFrontend parse_database_frontend(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) {
    throw HaproxyConfigError("database frontend: '" + std::string(text) + "' is not LISTEN=NODE[,NODE...]");
  }
  DatabaseFrontend frontend{.listen = std::string(text.substr(0, equals)), .nodes = {}};
  std::string_view nodes = text.substr(equals + 1);
  while (!nodes.empty()) {
    const auto comma = nodes.find(',');
    frontend.nodes.emplace_back(nodes.substr(0, comma));
    nodes = comma == std::string_view::npos ? std::string_view() : nodes.substr(comma + 1);
  }
  if (frontend.nodes.empty()) {
    throw HaproxyConfigError("database frontend " + frontend.listen + ": no database node after '='");
  }
  return frontend;
}

std::string render_haproxy_config(const HaproxyLayout& layout) {
  check_address(layout.listen, "listen");
  if (layout.servers.empty()) throw HaproxyConfigError("server: at least one invites-server address is needed");
  mustache::data servers{mustache::data::type::list};
  for (std::size_t i = 0; i < layout.servers.size(); ++i)
    servers.push_back(numbered_address("server", i, layout.servers[i], "server"));
  mustache::data frontends{mustache::data::type::list};
  for (std::size_t f = 0; f < layout.db_frontends.size(); ++f) {
    const auto& frontend = layout.db_frontends[f];
    check_address(frontend.listen, "database frontend");
    mustache::data nodes{mustache::data::type::list};
    for (std::size_t n = 0; n < frontend.nodes.size(); ++n) {
      mustache::data node = numbered_address("node", n, frontend.nodes[n], "database node");
      node.set("backup", n == 0 ? mustache::data::type::bool_false : mustache::data::type::bool_true);
      nodes.push_back(node);
    }
    mustache::data entry;
    entry.set("name", "database" + std::to_string(f + 1));
    entry.set("listen", frontend.listen);
    entry.set("nodes", nodes);
    frontends.push_back(entry);
  }
  mustache::data values;
  values.set("listen", layout.listen);
  values.set("servers", servers);
  values.set("db_frontends", frontends);
  if (layout.stats_socket) {
    check_socket_path(*layout.stats_socket);
    values.set("stats_socket", *layout.stats_socket);
  }
  mustache::mustache view{std::string(haproxy_template())};
  if (!view.is_valid()) throw std::logic_error("deploy/haproxy.cfg.mustache: " + view.error_message());
  return view.render(values);
}

}  // namespace invites::deploy
