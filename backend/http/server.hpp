#pragma once
// The HTTP server of `invites-server serve`: routes, request logging, error
// responses. It grows with the API of SPEC §5; each area registers its
// routes from its own file, like health.cpp and static_files.cpp.
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

#include "db/connection_pool.hpp"
#include "db/database_url.hpp"
#include "http/auth.hpp"
#include "http/listen_address.hpp"
#include "http/login_throttle.hpp"
#include "http/session_auth.hpp"
#include "http/static_files.hpp"
#include "http/load_routes.hpp"
#include "http/send_routes.hpp"
#include "http/webhook_routes.hpp"
#include "mail/transport.hpp"
#include "repository/delivery_outcomes.hpp"
#include "service/bounce_poller.hpp"
#include "service/job_runner.hpp"
#include "service/outcome_recorder.hpp"
#include "service/verp_key.hpp"

namespace invites::http {

struct ServerConfig {
  ListenAddress listen;
  std::optional<std::filesystem::path> web_root;  // nullopt: no static files
  db::DatabaseUrl database;
  std::size_t db_pool_size = db::PoolOptions{}.size;  // connections of pool()
  // With both files, HTTPS only (and session cookies get `Secure`).
  struct Tls {
    std::filesystem::path certificate;  // PEM, may include the chain
    std::filesystem::path private_key;  // PEM
  };
  std::optional<Tls> tls;
  SessionOptions sessions;  // secure_cookie is set from `tls`
  LoginThrottleLimits login_throttle;
  std::size_t max_body_bytes = 64 * 1024;  // larger request bodies get 413
  // Rebuild of the in-memory Load index (0 = only on POST /api/snapshot/refresh).
  std::chrono::seconds snapshot_refresh{300};

  // Sending (SPEC §6): SMTP when set, else the Maildir.
  std::optional<mail::SmtpOptions> smtp;
  std::filesystem::path maildir = "maildir";
  service::JobRunnerOptions sender;          // base_url "" = this server's url()
  std::vector<std::string> allowed_senders;  // addresses, "@domain" or "domain"
  int invite_ttl_days = 14;                  // SPEC §6: the one default (the CLI's comes from here)

  // Delivery outcomes (SPEC §11): VERP envelope senders on the bounce
  // domain (none when empty), the suppression rules, the bounce mailbox and
  // the provider webhooks (each optional).
  struct Bounces {
    std::string prefix = "bounces";
    std::string domain;
    repository::SuppressionRules rules;
    std::optional<service::BouncePollerOptions> mailbox;
    WebhookConfig webhooks;
  };
  Bounces bounces;
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

  // http://HOST:PORT (https:// with TLS) of the bound socket.
  std::string url() const;

  // For route registration (see register_routes): the database connections
  // and the staff authentication every /api handler uses.
  db::ConnectionPool& pool() { return *pool_; }
  Auth& auth() { return *sessions_; }

 private:
  enum class Phase { idle, running, finished };

  void register_routes();
  void register_sending(service::PreviewStore& previews);
  void register_bounces();
  std::function<std::unique_ptr<mail::MailTransport>()> transport_factory() const;

  ServerConfig config_;
  std::unique_ptr<httplib::Server> http_;  // an httplib::SSLServer with TLS
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<SessionAuth> sessions_;
  LoginThrottle login_throttle_;
  std::unique_ptr<StaticFiles> static_files_;
  std::uint16_t port_ = 0;
  std::atomic<Phase> phase_{Phase::idle};
  std::atomic<bool> stop_requested_{false};
  // Load (service/snapshot_index.hpp, http/load_routes.hpp); built in the
  // constructor, the index starts building when run() starts.
  std::unique_ptr<service::SnapshotIndex> snapshot_index_;
  std::unique_ptr<service::PreviewStore> previews_;
  std::unique_ptr<LoadRouteContext> load_context_;
  // Sending (http/send_routes.hpp); the runner starts with run().
  std::unique_ptr<service::SenderPolicy> sender_policy_;
  std::unique_ptr<service::JobRunner> runner_;
  std::unique_ptr<SendRouteContext> send_context_;
  // Delivery outcomes (http/webhook_routes.hpp, service/bounce_poller.hpp);
  // the poller starts with run().
  std::shared_ptr<service::VerpKey> verp_key_;
  std::shared_ptr<service::OutcomeRecorder> outcome_recorder_;
  std::unique_ptr<service::BouncePoller> bounce_poller_;
  std::unique_ptr<WebhookContext> webhook_context_;
};

}  // namespace invites::http
