#pragma once
// What the routes work with: the services the composition root builds,
// starts and stops (cli/serve_services.hpp) and hands to http::Server ready,
// and the server's staff authentication. One .cpp per resource registers
// its routes with a RouteContext (load_routes.hpp, send_routes.hpp).
#include <functional>
#include <memory>
#include <string>

#include "db/connection_pool.hpp"
#include "http/auth.hpp"
#include "http/health.hpp"
#include "http/webhook_routes.hpp"
#include "mail/transport.hpp"
#include "repository/test_send_quota.hpp"
#include "service/job_runner.hpp"
#include "service/outcome_recorder.hpp"
#include "service/sender_policy.hpp"
#include "service/shared_previews.hpp"
#include "service/snapshot_index.hpp"

namespace invites::http {

struct ServerServices {
  db::ConnectionPool& pool;
  service::SnapshotIndex& index;
  service::SharedPreviews& previews;  // this server's, and those in the database
  service::JobRunner& runner;
  const service::SenderPolicy& senders;
  // A fresh mail transport for a test send (the runner's workers have their own).
  std::function<std::unique_ptr<mail::MailTransport>()> transport;
  DatabasePing database_reachable;       // for GET /healthz
  std::string base_url;                  // of invite links; "" = the server's url()
  int invite_ttl_days = 0;               // cli::ServiceConfig::invite_ttl_days
  repository::TestSendQuota test_sends;  // per staff user
  // Delivery outcomes (docs/design.md §11): where webhook reports are recorded, and
  // which provider webhooks exist.
  std::shared_ptr<const service::OutcomeRecorder> outcomes;
  WebhookConfig webhooks;
};

struct RouteContext : ServerServices {
  Auth& auth;
};

}  // namespace invites::http
