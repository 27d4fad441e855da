#pragma once
// `invites-server serve` on a free loopback port, for tests over real HTTP.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "db/database_url.hpp"
#include "support/child_process.hpp"

namespace invites::testing {

class ServerProcess {
 public:
  // Starts the server with --listen 127.0.0.1:0 (it picks a free port, unless
  // Options::port names one) and waits for the "listening on URL" line it
  // prints on stdout.
  ServerProcess(const db::DatabaseUrl& database, const std::filesystem::path& web_root);
  // The same with no --web-root unless given, and more serve options
  // (e.g. {"--session-idle-minutes", "1"} or --tls-cert/--tls-key).
  struct Options {
    std::optional<std::filesystem::path> web_root;
    std::vector<std::string> extra_args;
    int port = 0;  // e.g. one a load balancer was configured with
  };
  ServerProcess(const db::DatabaseUrl& database, const Options& options);

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  // "http" or "https" (with --tls-cert).
  const std::string& scheme() const { return scheme_; }
  // The server's next line on stdout (after "listening on", e.g. the metrics URL).
  std::string read_line(std::chrono::milliseconds timeout) { return process_.read_line(timeout); }
  // SIGTERM and wait; the exit code (0 for a clean shutdown).
  int stop() { return process_.terminate(); }
  // `kill -9`: the server gets no chance to clean up.
  int kill() { return process_.kill_now(); }
  pid_t pid() const { return process_.pid(); }
  // SIGTERM without waiting (a drain), SIGSTOP and SIGCONT (a paused process).
  void send_signal(int signal) { process_.send_signal(signal); }
  // After a SIGTERM sent that way: the exit code once it exited by itself.
  int wait_for_exit(std::chrono::milliseconds timeout) { return process_.wait_for_exit(timeout); }

 private:
  ChildProcess process_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::string scheme_ = "http";
};

}  // namespace invites::testing
