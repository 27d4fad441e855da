#pragma once
// Provider webhooks for delivery outcomes (docs/design.md §11), outside /api: no
// staff session, each provider with its own authentication. Only the
// configured providers get a route.
//   POST /webhooks/ses       Amazon SES through SNS: the SNS signature over a
//                            certificate from an allowed host, chaining to the trust
//   POST /webhooks/sendgrid  SendGrid's signed event webhook (ECDSA P-256)
//   POST /webhooks/postmark  Postmark bounce and spam complaint webhooks,
//                            HTTP basic authentication as set in Postmark
// Replays: a request older than max_age is refused; a signed message seen
// before is answered 200 without effect; outcomes are recorded once anyway.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <httplib.h>

#include "db/connection_pool.hpp"
#include "security/sendgrid_signature.hpp"
#include "security/sns_certificates.hpp"
#include "service/outcome_recorder.hpp"

namespace invites::http {

struct WebhookConfig {
  std::optional<security::SnsTrust> ses;
  std::optional<std::string> sendgrid_public_key;  // base64 DER, as SendGrid shows it
  struct BasicAuth {
    std::string user, password;
  };
  std::optional<BasicAuth> postmark;
  std::chrono::seconds max_age{900};
};

struct WebhookContext {
  db::ConnectionPool& pool;
  std::shared_ptr<const service::OutcomeRecorder> recorder;
  std::unique_ptr<security::SnsCertificates> ses;
  std::unique_ptr<security::SendGridVerifier> sendgrid;
  std::optional<WebhookConfig::BasicAuth> postmark;
  std::chrono::seconds max_age;
};

// Throws std::invalid_argument for an unusable SendGrid key.
std::unique_ptr<WebhookContext> make_webhook_context(const WebhookConfig& config, db::ConnectionPool& pool,
                                                     std::shared_ptr<const service::OutcomeRecorder> recorder);
void register_webhook_routes(httplib::Server& server, WebhookContext& context);

}  // namespace invites::http
