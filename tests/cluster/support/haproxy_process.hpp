#pragma once
// HAProxy in front of test servers and database nodes, configured as the
// reference deployment (`invites-server haproxy-config`, rendered from
// deploy/haproxy.cfg.mustache), on free loopback ports, stopped with the object.
#include <memory>
#include <string>
#include <vector>

#include "db/database_url.hpp"
#include "support/child_process.hpp"
#include "support/temporary_directory.hpp"

namespace invites::testing {

struct HaproxyLayout {
  std::vector<std::string> servers;                    // HOST:PORT of each invites-server
  std::vector<std::vector<std::string>> db_frontends;  // per listener: the nodes, first active, then backups
};

class HaproxyProcess {
 public:
  // Renders the configuration, starts haproxy in the foreground and waits
  // until every listener accepts connections. Throws std::runtime_error.
  explicit HaproxyProcess(const HaproxyLayout& layout);
  ~HaproxyProcess();
  HaproxyProcess(const HaproxyProcess&) = delete;
  HaproxyProcess& operator=(const HaproxyProcess&) = delete;

  int http_port() const { return http_port_; }
  // `like` (user, password, database) reached through database listener `frontend` (0-based).
  db::DatabaseUrl database_url(std::size_t frontend, const db::DatabaseUrl& like) const;
  // Waits (up to `timeout`) until `count` servers pass the health check.
  void wait_for_servers_up(std::size_t count, std::chrono::seconds timeout = std::chrono::seconds(60)) const;
  // HAProxy's view of its servers and nodes (its admin socket's "show stat"), for failure messages.
  std::string status() const;

 private:
  TemporaryDirectory directory_{"haproxy"};
  int http_port_ = 0;
  std::vector<int> db_ports_;
  std::unique_ptr<ChildProcess> process_;
};

// A loopback TCP port below the ephemeral range that was free a moment ago.
int free_loopback_port();

}  // namespace invites::testing
