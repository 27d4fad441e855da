#include "http/webhook_routes.hpp"

#include <ctime>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "http/api_error.hpp"
#include "mail/provider_events.hpp"
#include "repository/delivery_outcomes.hpp"
#include "security/tokens.hpp"

namespace invites::http {
namespace {

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

[[noreturn]] void refuse(const std::string& provider, const std::string& why) {
  spdlog::warn("{} webhook refused: {}", provider, why);
  throw ApiError(401, "unauthenticated", why);
}

// Outside the window of max_age either way (clocks differ by seconds, not minutes).
void check_fresh(const std::string& provider, std::int64_t sent_at, std::chrono::seconds max_age) {
  const std::int64_t age = unix_now() - sent_at;
  if (age > max_age.count() || age < -max_age.count())
    refuse(provider, "the request was made " + std::to_string(age) + " s ago, outside the accepted " +
                         std::to_string(max_age.count()) + " s");
}

template <typename Parse>
std::vector<mail::ProviderEvent> events_of(const std::string& provider, Parse parse) {
  try {
    return parse();
  } catch (const mail::ReportError& e) {
    throw ApiError(400, "invalid_event", provider + " event: " + e.what());
  }
}

void answer(httplib::Response& response, std::size_t recorded, bool replayed) {
  send_json(response, {{"recorded", recorded}, {"replayed", replayed}});
}

// Records the events once per signed message id.
void record_once(WebhookContext& context, httplib::Response& response, const std::string& provider,
                 const std::string& message_id, const std::vector<mail::ProviderEvent>& events) {
  if (events.empty()) return answer(response, 0, false);  // deliveries, opens, ...: nothing to keep
  auto connection = context.pool.acquire();
  if (!repository::first_webhook_receipt(*connection, provider, message_id)) return answer(response, 0, true);
  answer(response, context.recorder->record_provider_events(*connection, provider, events), false);
}

void handle_ses(WebhookContext& context, const httplib::Request& request, httplib::Response& response) {
  security::SnsMessage message;
  try {
    message = security::parse_sns_message(request.body);
    check_fresh("ses", security::sns_timestamp_seconds(message.timestamp), context.max_age);
    context.ses->verify(message);
  } catch (const security::SignatureError& e) {
    refuse("ses", e.what());
  }
  if (message.type == "SubscriptionConfirmation") {
    try {
      context.ses->confirm_subscription(message);
    } catch (const security::SignatureError& e) {
      throw ApiError(502, "confirmation_failed", e.what());
    }
    spdlog::info("ses webhook: subscription to {} confirmed", message.topic_arn);
    return answer(response, 0, false);
  }
  if (message.type != "Notification") return answer(response, 0, false);
  const auto events = events_of("ses", [&] { return mail::ses_events(message.message); });
  record_once(context, response, "ses", message.message_id, events);
}

void handle_sendgrid(WebhookContext& context, const httplib::Request& request, httplib::Response& response) {
  const std::string signature = request.get_header_value("X-Twilio-Email-Event-Webhook-Signature");
  const std::string timestamp = request.get_header_value("X-Twilio-Email-Event-Webhook-Timestamp");
  try {
    context.sendgrid->verify(signature, timestamp, request.body);
  } catch (const security::SignatureError& e) {
    refuse("sendgrid", e.what());
  }
  std::int64_t sent_at = 0;
  try {
    sent_at = std::stoll(timestamp);
  } catch (const std::exception&) {
    refuse("sendgrid", "the timestamp \"" + timestamp + "\" is not a number");
  }
  check_fresh("sendgrid", sent_at, context.max_age);
  const auto events = events_of("sendgrid", [&] { return mail::sendgrid_events(request.body); });
  // A signature signs one request: the same signature again is a replay.
  record_once(context, response, "sendgrid",
              security::to_hex(security::hash_token(
                  std::span(reinterpret_cast<const unsigned char*>(signature.data()), signature.size()))),
              events);
}

void handle_postmark(WebhookContext& context, const httplib::Request& request, httplib::Response& response) {
  const auto& expected = *context.postmark;
  const std::string header = request.get_header_value("Authorization");
  const auto credentials = header.starts_with("Basic ") ? security::from_base64(header.substr(6)) : std::nullopt;
  if (!credentials || !security::equal_constant_time(*credentials, expected.user + ":" + expected.password)) {
    response.set_header("WWW-Authenticate", "Basic realm=\"invites webhooks\"");
    refuse("postmark", "missing or wrong basic authentication");
  }
  const auto events = events_of("postmark", [&] { return mail::postmark_events(request.body); });
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  const std::string id = body.is_object() && body.contains("ID") ? body["ID"].dump() : "";
  record_once(context, response, "postmark", body.value("RecordType", std::string("?")) + ":" + id, events);
}

}  // namespace

std::unique_ptr<WebhookContext> make_webhook_context(const WebhookConfig& config, db::ConnectionPool& pool,
                                                     std::shared_ptr<const service::OutcomeRecorder> recorder) {
  auto context = std::make_unique<WebhookContext>(
      WebhookContext{pool, std::move(recorder), nullptr, nullptr, config.postmark, config.max_age});
  if (config.ses) context->ses = std::make_unique<security::SnsCertificates>(*config.ses);
  if (config.sendgrid_public_key)
    context->sendgrid = std::make_unique<security::SendGridVerifier>(*config.sendgrid_public_key);
  return context;
}

void register_webhook_routes(httplib::Server& server, WebhookContext& context) {
  if (context.ses)
    server.Post("/webhooks/ses", [&context](const httplib::Request& request, httplib::Response& response) {
      handle_ses(context, request, response);
    });
  if (context.sendgrid)
    server.Post("/webhooks/sendgrid", [&context](const httplib::Request& request, httplib::Response& response) {
      handle_sendgrid(context, request, response);
    });
  if (context.postmark)
    server.Post("/webhooks/postmark", [&context](const httplib::Request& request, httplib::Response& response) {
      handle_postmark(context, request, response);
    });
}

}  // namespace invites::http
