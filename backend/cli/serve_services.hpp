#pragma once
// The composition root of `invites-server serve`: every long-lived service
// is built here, once, wired to the others, and started and stopped in
// order around the HTTP server, which receives them ready (http::ServerServices).
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/connection_pool.hpp"
#include "db/database_url.hpp"
#include "http/server.hpp"
#include "mail/transport.hpp"
#include "repository/test_send_quota.hpp"
#include "service/job_runner.hpp"
#include "service/preview_store.hpp"
#include "service/sender_policy.hpp"
#include "service/shared_previews.hpp"
#include "service/snapshot_index.hpp"

namespace invites::cli {

struct ServiceConfig {
  db::DatabaseUrl database;
  // Where the Load index is built from (--db-read): a replica, or nullopt for `database`.
  std::optional<db::DatabaseUrl> database_read;
  std::size_t db_pool_size = db::PoolOptions{}.size;  // connections of the request pool
  // Rebuild of the in-memory Load index (0 = only on POST /api/snapshot/refresh).
  std::chrono::seconds snapshot_refresh{300};
  // Sending (docs/design.md §6): SMTP when set, else the Maildir.
  std::optional<mail::SmtpOptions> smtp;
  std::filesystem::path maildir = "maildir";
  service::JobRunnerOptions sender;          // base_url "" = the server's url()
  std::vector<std::string> allowed_senders;  // addresses, "@domain" or "domain"
  int invite_ttl_days = 14;                  // docs/design.md §6: the one default (the CLI's comes from here)
  repository::TestSendQuota test_sends;      // per staff user, counted in the database
};

class ServeServices {
 public:
  // Throws std::invalid_argument for an allowed sender that is neither an address nor a domain.
  explicit ServeServices(ServiceConfig config);

  // References for the HTTP server; the services outlive it.
  http::ServerServices for_http();
  // Starts building the Load index and the sender, whose invite links point at `invite_base_url`.
  void start(const std::string& invite_base_url);
  // Stops the sender (workers finish the message in hand, put the rest of
  // their batch back); the index stops when this object goes.
  void stop();

 private:
  std::function<std::unique_ptr<mail::MailTransport>()> transport_factory() const;

  ServiceConfig config_;
  db::ConnectionPool pool_;
  service::SnapshotIndex snapshot_index_;
  service::PreviewStore previews_;
  service::SharedPreviews shared_previews_;  // previews_, and those other servers stored
  service::SenderPolicy sender_policy_;
  service::JobRunner runner_;
};

}  // namespace invites::cli
