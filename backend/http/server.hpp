#pragma once
// The HTTP server of `invites-server serve`: routes, request logging, error
// responses, over services it is given ready (http/route_context.hpp). It grows with the API of docs/design.md §5; each
// area registers its routes from its own file, like health.cpp and static_files.cpp.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "http/bounded_server.hpp"
#include "http/client_address.hpp"
#include "http/listen_address.hpp"
#include "http/login_throttle.hpp"
#include "http/route_context.hpp"
#include "http/session_auth.hpp"
#include "http/static_files.hpp"
#include "http/webhook_routes.hpp"

namespace invites::http {

struct ServerConfig {
  ListenAddress listen;
  std::optional<std::filesystem::path> web_root;  // nullopt: no static files
  // With both files, HTTPS only (and session cookies get `Secure`).
  std::optional<TlsFiles> tls;
  ConnectionLimits connections;
  SessionOptions sessions;  // secure_cookie is set from `tls`
  // GET /metrics is on a listener of its own (plain HTTP, for a private
  // network) with `metrics_listen`, on the main one only with a
  // `metrics_token` (Bearer; required on both when set); nowhere without either.
  std::optional<ListenAddress> metrics_listen;
  std::string metrics_token;
  LoginThrottleLimits login_throttle;
  std::size_t max_body_bytes = 64 * 1024;  // larger request bodies get 413
  // On stop(), /healthz/ready answers 503 for this long while the server
  // still serves, so that a load balancer takes it out of rotation before
  // the listener closes (deploy/README.md).
  std::chrono::seconds shutdown_grace{0};
};

class Server {
 public:
  // Throws std::invalid_argument for a web root that is not a directory or
  // an unusable TLS certificate.
  Server(ServerConfig config, ServerServices services);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket and returns the port (the chosen one when
  // the configured port is 0). Throws std::runtime_error when it cannot bind.
  std::uint16_t bind();
  // Serves on the bound socket until stop(); in-flight requests finish first.
  void run();
  // Callable from any thread, also before or during the start of run().
  // While serving, it waits config.shutdown_grace first (readiness 503).
  void stop();

  // http://HOST:PORT (https:// with TLS) of the bound socket.
  std::string url() const;
  // http://HOST:PORT/metrics of the metrics listener; "" without one.
  std::string metrics_url() const;
  // Where invite links point: the configured base URL, else url() once bound.
  const std::string& invite_base_url() const { return routes_.base_url; }

 private:
  enum class Phase { idle, running, finished };

  void register_routes();

  ServerConfig config_;
  std::unique_ptr<StaticFiles> static_files_;      // null without a web root
  std::unique_ptr<httplib::Server> http_;          // an httplib::SSLServer with TLS
  std::unique_ptr<httplib::Server> metrics_http_;  // with config_.metrics_listen
  std::uint16_t metrics_port_ = 0;
  SessionAuth sessions_;
  LoginThrottle login_throttle_;
  UntrustedForwardingWarning forwarding_warning_;
  std::uint16_t port_ = 0;
  std::string public_origin_;  // of --base-url, for check_request_origin (set by bind())
  std::atomic<Phase> phase_{Phase::idle};
  std::atomic<bool> stop_requested_{false};
  RouteContext routes_;
  std::unique_ptr<WebhookContext> webhooks_;  // the provider webhooks' verifiers
};

}  // namespace invites::http
