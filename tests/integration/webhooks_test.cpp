// Provider webhooks against a real server and database: Amazon SES through
// SNS (signed with a certificate of a throwaway CA, fetched from a loopback
// HTTPS server on an allowed host), SendGrid (ECDSA), Postmark (basic
// authentication). Valid requests record outcomes and suppress addresses;
// invalid signatures and stale requests are refused; replays change nothing.
#include <ctime>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "db/connection.hpp"
#include "security/tokens.hpp"
#include "support/https_file_server.hpp"
#include "support/send_stack.hpp"
#include "support/test_certificates.hpp"
#include "support/webhook_signers.hpp"

using namespace invites;

namespace {

std::string iso_now(std::time_t offset = 0) {
  const std::time_t at = std::time(nullptr) + offset;
  std::tm tm{};
  gmtime_r(&at, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return text;
}

nlohmann::json ses_bounce(const std::string& message_id, const std::string& email, const std::string& timestamp) {
  const nlohmann::json notification = {{"notificationType", "Bounce"},
                                       {"bounce",
                                        {{"bounceType", "Permanent"},
                                         {"bounceSubType", "General"},
                                         {"feedbackId", "0100018c-" + message_id},
                                         {"timestamp", timestamp},
                                         {"bouncedRecipients",
                                          {{{"emailAddress", email},
                                            {"action", "failed"},
                                            {"status", "5.1.1"},
                                            {"diagnosticCode", "smtp; 550 5.1.1 user unknown"}}}}}},
                                       {"mail",
                                        {{"messageId", "0100018c-mail"},
                                         {"source", "north@haul.example.com"},
                                         {"commonHeaders", {{"messageId", "<not-ours@haul.example.com>"}}}}}};
  return {{"Type", "Notification"},
          {"MessageId", message_id},
          {"TopicArn", "arn:aws:sns:us-west-2:123456789012:ses-bounces"},
          {"Message", notification.dump()},
          {"Timestamp", timestamp}};
}

struct WebhookStack {
  testing::SendStack stack;
  testing::TestCertificates authority;
  testing::SnsSigner sns{authority};
  testing::HttpsFileServer certificates{authority, "/SimpleNotificationService-test.pem", sns.certificate_pem()};
  testing::SendGridSigner sendgrid;
  std::unique_ptr<httplib::Client> client;

  WebhookStack() {
    stack.start_server({"--ses-webhook", "--ses-cert-hosts", "localhost", "--ses-ca-file",
                        authority.ca_certificate().string(), "--sendgrid-webhook-key", sendgrid.public_key_base64(),
                        "--postmark-webhook-user", "postmark", "--postmark-webhook-password", "hook-secret",
                        "--webhook-max-age-seconds", "600"});
    client = std::make_unique<httplib::Client>(stack.server().host(), stack.server().port());
  }

  httplib::Result post_ses(const nlohmann::json& message) {
    return client->Post("/webhooks/ses", {{"x-amz-sns-message-type", message["Type"].get<std::string>()}},
                        message.dump(), "text/plain");
  }
  httplib::Result post_sendgrid(const std::string& body, const std::string& timestamp, const std::string& signature) {
    return client->Post(
        "/webhooks/sendgrid",
        {{"X-Twilio-Email-Event-Webhook-Signature", signature}, {"X-Twilio-Email-Event-Webhook-Timestamp", timestamp}},
        body, "application/json");
  }
  httplib::Result post_postmark(const std::string& body, const std::string& credentials) {
    return client->Post("/webhooks/postmark", {{"Authorization", "Basic " + security::to_base64(credentials)}}, body,
                        "application/json");
  }
};

}  // namespace

TEST_CASE("SES notifications through SNS: signed ones count once, unsigned, foreign or stale ones are refused") {
  WebhookStack hooks;
  auto& sql = hooks.stack.sql();
  const auto signed_message =
      hooks.sns.sign(ses_bounce("m-1", "Gone@Customer.example", iso_now()), "2", hooks.certificates.url());
  auto answer = hooks.post_ses(signed_message);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(nlohmann::json::parse(answer->body)["recorded"] == 1);
  CHECK(testing::count_rows(
            sql,
            "SELECT COUNT(*) FROM address_suppressions WHERE email = 'gone@customer.example' AND reason = "
            "'hard_bounce' AND lifted_at IS NULL") == 1);

  // The same message again (a replay within the window): answered, no effect.
  answer = hooks.post_ses(signed_message);
  CHECK(answer->status == 200);
  CHECK(nlohmann::json::parse(answer->body)["replayed"] == true);
  CHECK(testing::count_rows(sql, "SELECT COUNT(*) FROM delivery_outcomes") == 1);

  // Version 1 signatures are accepted too.
  answer = hooks.post_ses(
      hooks.sns.sign(ses_bounce("m-2", "v1@customer.example", iso_now()), "1", hooks.certificates.url()));
  CHECK(answer->status == 200);

  // Changed after signing.
  auto tampered = hooks.sns.sign(ses_bounce("m-3", "x@customer.example", iso_now()), "2", hooks.certificates.url());
  tampered["Message"] = ses_bounce("m-3", "victim@customer.example", iso_now())["Message"];
  CHECK(hooks.post_ses(tampered)->status == 401);
  // A certificate from a host not allowed, or signed long ago.
  CHECK(hooks
            .post_ses(hooks.sns.sign(ses_bounce("m-4", "x@customer.example", iso_now()), "2",
                                     hooks.certificates.url("127.0.0.1")))
            ->status == 401);
  CHECK(hooks
            .post_ses(
                hooks.sns.sign(ses_bounce("m-5", "x@customer.example", iso_now(-3600)), "2", hooks.certificates.url()))
            ->status == 401);
  CHECK(testing::count_rows(sql, "SELECT COUNT(*) FROM delivery_outcomes") == 2);
  CHECK(hooks.certificates.requests() == 1);  // fetched once, then kept
}

TEST_CASE("SendGrid events: a valid signature counts once, a wrong, replayed or stale one does not") {
  WebhookStack hooks;
  auto& sql = hooks.stack.sql();
  const std::string body =
      R"([{"email":"spam.reporter@customer.example","event":"spamreport","sg_event_id":"ev-1","timestamp":1},)"
      R"({"email":"ok@customer.example","event":"delivered","sg_event_id":"ev-2","timestamp":1},)"
      R"({"email":"blocked@customer.example","event":"bounce","type":"blocked","status":"4.7.1",)"
      R"("reason":"451 4.7.1 try later","sg_event_id":"ev-3","timestamp":1}])";
  const std::string now = std::to_string(std::time(nullptr));
  const std::string signature = hooks.sendgrid.sign(now, body);
  auto answer = hooks.post_sendgrid(body, now, signature);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(nlohmann::json::parse(answer->body)["recorded"] == 2);
  CHECK(testing::count_rows(sql, "SELECT COUNT(*) FROM delivery_outcomes WHERE kind = 'complaint'") == 1);
  CHECK(testing::count_rows(sql, "SELECT COUNT(*) FROM delivery_outcomes WHERE kind = 'soft_bounce'") == 1);
  // A soft bounce alone does not suppress (3 within 7 days by default); the complaint does.
  CHECK(testing::count_rows(sql, "SELECT COUNT(*) FROM address_suppressions") == 1);

  CHECK(nlohmann::json::parse(hooks.post_sendgrid(body, now, signature)->body)["replayed"] == true);
  CHECK(hooks.post_sendgrid(body + " ", now, signature)->status == 401);
  const testing::SendGridSigner stranger;
  CHECK(hooks.post_sendgrid(body, now, stranger.sign(now, body))->status == 401);
  const std::string old = std::to_string(std::time(nullptr) - 3600);
  CHECK(hooks.post_sendgrid(body, old, hooks.sendgrid.sign(old, body))->status == 401);
  CHECK(testing::count_rows(sql, "SELECT COUNT(*) FROM delivery_outcomes") == 2);
}

TEST_CASE("Postmark webhooks need their basic authentication, and a repeat changes nothing") {
  WebhookStack hooks;
  auto& sql = hooks.stack.sql();
  const std::string bounce =
      R"({"RecordType":"Bounce","ID":4323372036854775807,"Type":"HardBounce","TypeCode":1,)"
      R"("Email":"nobody.here@customer.example","Description":"The server was unable to deliver your message",)"
      R"("Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist","MessageID":"x"})";
  CHECK(hooks.post_postmark(bounce, "postmark:wrong")->status == 401);
  CHECK(hooks.client->Post("/webhooks/postmark", bounce, "application/json")->status == 401);
  auto answer = hooks.post_postmark(bounce, "postmark:hook-secret");
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(nlohmann::json::parse(hooks.post_postmark(bounce, "postmark:hook-secret")->body)["replayed"] == true);
  CHECK(testing::count_rows(
            sql, "SELECT COUNT(*) FROM address_suppressions WHERE email = 'nobody.here@customer.example'") == 1);
  // A malformed record is a 400 that says what is missing.
  answer = hooks.post_postmark(R"({"RecordType":"Bounce","Type":"HardBounce"})", "postmark:hook-secret");
  CHECK(answer->status == 400);
  CHECK_THAT(answer->body, Catch::Contains("has no ID"));
}

TEST_CASE("webhooks that are not configured do not exist") {
  testing::SendStack stack;
  stack.start_server();
  httplib::Client client(stack.server().host(), stack.server().port());
  CHECK(client.Post("/webhooks/ses", "{}", "text/plain")->status == 404);
  CHECK(client.Post("/webhooks/sendgrid", "[]", "application/json")->status == 404);
}
