#pragma once
// The HTTP server of `invites-server serve`: routes, request logging, error
// responses. It grows with the API of SPEC §5; each area registers its
// routes from its own file, like health.cpp and static_files.cpp.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <httplib.h>

#include "db/database_url.hpp"
#include "http/listen_address.hpp"
#include "http/static_files.hpp"

namespace invites::http {

struct ServerConfig {
  ListenAddress listen;
  std::optional<std::filesystem::path> web_root;  // nullopt: no static files
  db::DatabaseUrl database;
};

class Server {
 public:
  // Throws std::invalid_argument for a web root that is not a directory.
  explicit Server(ServerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket and returns the port (the chosen one when
  // the configured port is 0). Throws std::runtime_error when it cannot bind.
  std::uint16_t bind();
  // Serves on the bound socket until stop(); in-flight requests finish first.
  void run();
  // Callable from any thread, also before or during the start of run().
  void stop();

  // http://HOST:PORT of the bound socket.
  std::string url() const;

 private:
  enum class Phase { idle, running, finished };

  void register_routes();

  ServerConfig config_;
  httplib::Server http_;
  std::unique_ptr<StaticFiles> static_files_;
  std::uint16_t port_ = 0;
  std::atomic<Phase> phase_{Phase::idle};
  std::atomic<bool> stop_requested_{false};
};

}  // namespace invites::http
