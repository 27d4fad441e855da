// Provider webhooks against a real server and database: Amazon SES through
// SNS (signed with a certificate of a throwaway CA, fetched from a loopback
// HTTPS server on an allowed host), SendGrid (ECDSA), Postmark (basic
// authentication). Valid requests record outcomes and suppress addresses;
// invalid signatures and stale requests are refused; replays change nothing.
#include <algorithm>
#include <ctime>
#include <tuple>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "db/connection.hpp"
#include "db/statement.hpp"
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

// An SNS notification carrying an SES notification as its Message.
nlohmann::json sns_notification(const std::string& message_id, const nlohmann::json& notification,
                                const std::string& timestamp) {
  return {{"Type", "Notification"},
          {"MessageId", message_id},
          {"TopicArn", "arn:aws:sns:us-west-2:123456789012:ses-bounces"},
          {"Message", notification.dump()},
          {"Timestamp", timestamp}};
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
  return sns_notification(message_id, notification, timestamp);
}

// An SES complaint (as in Amazon SES's notification examples) about the message with `original_message_id`.
nlohmann::json ses_complaint(const std::string& message_id, const std::string& email,
                             const std::string& original_message_id, const std::string& timestamp) {
  const nlohmann::json notification = {{"notificationType", "Complaint"},
                                       {"complaint",
                                        {{"userAgent", "AnyCompany Feedback Loop (V0.01)"},
                                         {"complainedRecipients", {{{"emailAddress", email}}}},
                                         {"complaintFeedbackType", "abuse"},
                                         {"arrivalDate", timestamp},
                                         {"timestamp", timestamp},
                                         {"feedbackId", "0100018c-complaint-" + message_id}}},
                                       {"mail",
                                        {{"messageId", "0100018c-mail"},
                                         {"source", testing::division_sender},
                                         {"commonHeaders", {{"messageId", original_message_id}}}}}};
  return sns_notification(message_id, notification, timestamp);
}

// The Message-ID header of a raw message, "" when it has none.
std::string message_id_of(const std::string& raw) {
  const std::string headers = testing::headers_of(raw);
  const std::string name = "\r\nMessage-ID: ";
  const auto at = headers.find(name);
  if (at == std::string::npos) return "";
  const auto start = at + name.size();
  return headers.substr(start, headers.find("\r\n", start) - start);
}

struct WebhookStack {
  testing::SendStack stack;
  testing::TestCertificates authority;
  testing::SnsSigner sns{authority};
  testing::HttpsFileServer certificates{authority, "/SimpleNotificationService-test.pem", sns.certificate_pem()};
  testing::SendGridSigner sendgrid;
  std::unique_ptr<httplib::Client> client;

  // `people` are written before the server starts (its Load index is built then).
  explicit WebhookStack(const std::vector<std::string>& extra_args = {},
                        const std::vector<testing::Person>& people = {}) {
    if (!people.empty()) testing::write_people(stack.sql(), people);
    std::vector<std::string> args{"--ses-webhook",
                                  "--ses-cert-hosts",
                                  "localhost",
                                  "--ses-ca-file",
                                  authority.ca_certificate().string(),
                                  "--sendgrid-webhook-key",
                                  sendgrid.public_key_base64(),
                                  "--postmark-webhook-user",
                                  "postmark",
                                  "--postmark-webhook-password",
                                  "hook-secret",
                                  "--webhook-max-age-seconds",
                                  "600"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    stack.start_server(args);
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

TEST_CASE("an SNS subscription confirmation is verified, then its SubscribeURL is fetched once") {
  WebhookStack hooks;
  // Where SNS would answer ConfirmSubscription: a loopback HTTPS server on an allowed host.
  testing::HttpsFileServer confirm(hooks.authority, "/", "<ConfirmSubscriptionResponse/>");
  const auto confirmation = [&](const std::string& host) {
    return nlohmann::json{
        {"Type", "SubscriptionConfirmation"},
        {"MessageId", "165545c9-2a5c-472c-8df2-7ff2be2b3b1b"},
        {"Token", "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02"},
        {"TopicArn", "arn:aws:sns:us-west-2:123456789012:ses-bounces"},
        {"Message", "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:ses-bounces."},
        {"SubscribeURL", confirm.url(host) + "?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:"
                                             "123456789012:ses-bounces&Token=2336412f37fb687f5d51e6e241d09c8"},
        {"Timestamp", iso_now()}};
  };
  auto answer = hooks.post_ses(hooks.sns.sign(confirmation("localhost"), "2", hooks.certificates.url()));
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(nlohmann::json::parse(answer->body)["recorded"] == 0);
  CHECK(confirm.requests() == 1);

  // A SubscribeURL changed after signing is never fetched; nor one on a host that is not allowed (502: the
  // signature holds, the confirmation cannot be made).
  auto tampered = hooks.sns.sign(confirmation("localhost"), "2", hooks.certificates.url());
  tampered["SubscribeURL"] = tampered["SubscribeURL"].get<std::string>() + "&x=1";
  CHECK(hooks.post_ses(tampered)->status == 401);
  answer = hooks.post_ses(hooks.sns.sign(confirmation("127.0.0.1"), "2", hooks.certificates.url()));
  CHECK(answer->status == 502);
  CHECK_THAT(answer->body, Catch::Contains("not an allowed SNS host"));
  CHECK(confirm.requests() == 1);
  CHECK(testing::count_rows(hooks.stack.sql(), "SELECT COUNT(*) FROM delivery_outcomes") == 0);
}

TEST_CASE("a complaint counts for the job that sent the message: in the job's outcomes and its complained list") {
  // The second job mails the same people again at once (no re-invite window).
  WebhookStack hooks({"--bounce-domain", "bounces.test", "--reinvite-after-minutes", "0"},
                     {{"anna@customer.example", "Anna"}, {"bert@customer.example", "Bert"}});
  auto& stack = hooks.stack;
  const auto first = stack.send(stack.load());
  stack.wait_completed(first);
  const auto second = stack.send(stack.load(), {"pending_invites"});
  CHECK(stack.wait_completed(second)["sent"] == 2);
  const auto messages = stack.sink().messages();
  REQUIRE(messages.size() == 4);
  // The first job was complete before the second began: its message to Anna came first.
  const auto to_anna = std::find_if(messages.begin(), messages.end(),
                                    [](const auto& message) { return message.rcpt == "anna@customer.example"; });
  REQUIRE(to_anna != messages.end());
  const std::string first_to_anna = message_id_of(to_anna->raw);
  CHECK(first_to_anna.ends_with("@bounces.test>"));

  // SES names the original's Message-ID: the complaint is about the first job's message to Anna, although
  // the second job mailed her since.
  auto answer = hooks.post_ses(hooks.sns.sign(ses_complaint("c-1", "Anna@Customer.example", first_to_anna, iso_now()),
                                              "2", hooks.certificates.url()));
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(nlohmann::json::parse(answer->body)["recorded"] == 1);
  // Postmark names no Message-ID of ours: its complaint goes to the last message to Bert (the second job's).
  const std::string spam_complaint =
      R"({"RecordType":"SpamComplaint","MessageStream":"outbound","ID":42,"Type":"SpamComplaint","TypeCode":512,)"
      R"("Name":"Spam complaint","MessageID":"00000000-0000-0000-0000-000000000000",)"
      R"("Description":"The subscriber explicitly marked this message as spam.","Details":"Test spam complaint",)"
      R"("Email":"bert@customer.example","From":"north@haul.example.com","BouncedAt":"2026-11-05T16:33:54Z"})";
  answer = hooks.post_postmark(spam_complaint, "postmark:hook-secret");
  REQUIRE(answer);
  CHECK(nlohmann::json::parse(answer->body)["recorded"] == 1);

  const auto outbox_of = [&](std::uint64_t job, const std::string& email) {
    return std::to_string(*db::query_row<std::uint64_t>(
        stack.sql(), "SELECT id FROM send_outbox WHERE job_id = ? AND email = ?", job, email));
  };
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM delivery_outcomes WHERE kind = 'complaint' AND source = 'ses' AND "
                            "email = 'anna@customer.example' AND job_id = " +
                                std::to_string(first) +
                                " AND outbox_id = " + outbox_of(first, "anna@customer.example")) == 1);
  CHECK(testing::count_rows(
            stack.sql(),
            "SELECT COUNT(*) FROM delivery_outcomes WHERE kind = 'complaint' AND source = 'postmark' AND "
            "email = 'bert@customer.example' AND job_id = " +
                std::to_string(second) + " AND outbox_id = " + outbox_of(second, "bert@customer.example")) == 1);

  // Each job's view counts its complaint and lists the complainant with the provider's words.
  for (const auto& [job, email, words] : {std::tuple{first, "anna@customer.example", "Amazon SES"},
                                          std::tuple{second, "bert@customer.example", "explicitly marked"}}) {
    INFO("job " << job);
    const auto view = stack.get_json("/api/jobs/" + std::to_string(job));
    CHECK(view["outcomes"]["complained"] == 1);
    CHECK(view["outcomes"]["delivered"] == 2);
    CHECK(view["outcomes"]["complaint_rate"] == 0.5);
    const auto complained = stack.get_json("/api/jobs/" + std::to_string(job) + "/recipients?status=complained");
    REQUIRE(complained["total"] == 1);
    CHECK(complained["rows"][0]["email"] == email);
    CHECK_THAT(complained["rows"][0]["outcome_diagnostic"].get<std::string>(), Catch::Contains(words));
  }
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM address_suppressions WHERE reason = 'complaint' AND "
                            "lifted_at IS NULL") == 2);
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
