// Webhook authenticity without a database: Amazon SNS signatures (both
// versions) over certificates of a throwaway CA, the signing certificate
// fetched over HTTPS from a loopback server only for allowed hosts, and
// SendGrid's ECDSA signatures. Keys and signatures come from the openssl CLI.
#include <catch2/catch.hpp>

#include "security/sendgrid_signature.hpp"
#include "security/sns_certificates.hpp"
#include "security/sns_signature.hpp"
#include "support/https_file_server.hpp"
#include "support/test_certificates.hpp"
#include "support/webhook_signers.hpp"

using namespace invites;
using testing::SendGridSigner;
using testing::SnsSigner;
using testing::TestCertificates;

namespace {

nlohmann::json notification() {
  return {{"Type", "Notification"},
          {"MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324"},
          {"TopicArn", "arn:aws:sns:us-west-2:123456789012:ses-bounces"},
          {"Subject", "Amazon SES Email Receipt Notification"},
          {"Message", R"({"notificationType":"Bounce","bounce":{"bounceType":"Permanent"}})"},
          {"Timestamp", "2026-12-06T01:02:03.456Z"}};
}

security::SnsMessage parsed(const nlohmann::json& json) { return security::parse_sns_message(json.dump()); }

std::string error_of(const std::function<void()>& step) {
  try {
    step();
  } catch (const security::SignatureError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("an SNS signature of either version verifies with a certificate of the trusted CA") {
  const TestCertificates authority;
  const SnsSigner signer(authority);
  for (const std::string version : {"1", "2"}) {
    INFO("SignatureVersion " << version);
    const auto message = signer.sign(notification(), version, "https://sns.us-west-2.amazonaws.com/cert.pem");
    CHECK_NOTHROW(
        security::verify_sns_signature(parsed(message), signer.certificate_pem(), authority.ca_certificate()));
  }
}

TEST_CASE("an SNS message changed after signing, or signed by an untrusted certificate, is refused") {
  const TestCertificates authority, stranger;
  const SnsSigner signer(authority), impostor(stranger);
  const std::string url = "https://sns.us-west-2.amazonaws.com/cert.pem";
  auto message = signer.sign(notification(), "2", url);
  message["Message"] = R"({"notificationType":"Complaint"})";
  CHECK_THAT(error_of([&] {
               security::verify_sns_signature(parsed(message), signer.certificate_pem(), authority.ca_certificate());
             }),
             Catch::Contains("does not match"));

  const auto forged = impostor.sign(notification(), "2", url);
  CHECK_THAT(error_of([&] {
               security::verify_sns_signature(parsed(forged), impostor.certificate_pem(), authority.ca_certificate());
             }),
             Catch::Contains("not trusted"));

  auto unknown_version = signer.sign(notification(), "2", url);
  unknown_version["SignatureVersion"] = "3";
  CHECK_THAT(error_of([&] {
               security::verify_sns_signature(parsed(unknown_version), signer.certificate_pem(),
                                              authority.ca_certificate());
             }),
             Catch::Contains("SignatureVersion \"3\""));
}

TEST_CASE("an SNS message without a signed field is refused by name") {
  auto message = notification();
  message.erase("TopicArn");
  CHECK_THAT(error_of([&] { parsed(message); }), Catch::Contains("has no TopicArn"));
  CHECK_THAT(error_of([&] { security::parse_sns_message("not json"); }), Catch::Contains("not JSON"));
  CHECK_THAT(error_of([&] { security::sns_timestamp_seconds("yesterday"); }), Catch::Contains("not an ISO 8601"));
  CHECK(security::sns_timestamp_seconds("1970-01-02T00:00:00.000Z") == 86400);
}

TEST_CASE("signing certificates come only over https from allowed hosts, fetched once") {
  const TestCertificates authority;
  const SnsSigner signer(authority);
  testing::HttpsFileServer server(authority, "/SimpleNotificationService-test.pem", signer.certificate_pem());
  security::SnsCertificates certificates(
      {.allowed_hosts = {"localhost"}, .ca_file = authority.ca_certificate(), .topic_arns = {}});

  const auto good = signer.sign(notification(), "2", server.url("localhost"));
  CHECK_NOTHROW(certificates.verify(parsed(good)));
  CHECK_NOTHROW(certificates.verify(parsed(good)));
  CHECK(server.requests() == 1);

  const auto other_host = signer.sign(notification(), "2", server.url("127.0.0.1"));
  CHECK_THAT(error_of([&] { certificates.verify(parsed(other_host)); }), Catch::Contains("not an allowed SNS host"));
  auto plain_http = signer.sign(notification(), "2", "http://localhost/cert.pem");
  CHECK_THAT(error_of([&] { certificates.verify(parsed(plain_http)); }), Catch::Contains("not an https URL"));
  CHECK(server.requests() == 1);

  security::SnsCertificates one_topic(
      {.allowed_hosts = {"localhost"}, .ca_file = authority.ca_certificate(), .topic_arns = {"arn:aws:sns:x:1:other"}});
  CHECK_THAT(error_of([&] { one_topic.verify(parsed(good)); }), Catch::Contains("not one of the configured topics"));
}

TEST_CASE("host patterns match one label per star") {
  const std::vector<std::string> patterns{"sns.*.amazonaws.com"};
  CHECK(security::host_allowed("sns.us-west-2.amazonaws.com", patterns));
  CHECK(security::host_allowed("SNS.EU-CENTRAL-1.AMAZONAWS.COM", patterns));
  CHECK_FALSE(security::host_allowed("sns.amazonaws.com", patterns));
  CHECK_FALSE(security::host_allowed("sns.evil.example.amazonaws.com", patterns));
  CHECK_FALSE(security::host_allowed("sns.us-west-2.amazonaws.com.evil.example", patterns));
}

TEST_CASE("a SendGrid signature verifies over timestamp and body, and nothing else") {
  const SendGridSigner signer, other;
  const security::SendGridVerifier verifier(signer.public_key_base64());
  const std::string body = R"([{"email":"a@customer.example","event":"bounce","sg_event_id":"e1"}])";
  const std::string timestamp = "1796518907";
  const std::string signature = signer.sign(timestamp, body);
  CHECK_NOTHROW(verifier.verify(signature, timestamp, body));
  CHECK_THAT(error_of([&] { verifier.verify(signature, timestamp, body + " "); }), Catch::Contains("does not match"));
  CHECK_THAT(error_of([&] { verifier.verify(signature, "1796518908", body); }), Catch::Contains("does not match"));
  CHECK_THAT(error_of([&] { verifier.verify(other.sign(timestamp, body), timestamp, body); }),
             Catch::Contains("does not match"));
  CHECK_THAT(error_of([&] { verifier.verify("%%%", timestamp, body); }), Catch::Contains("not base64"));
  CHECK_THAT(error_of([&] { verifier.verify("", timestamp, body); }), Catch::Contains("no X-Twilio"));
  CHECK_THROWS_AS(security::SendGridVerifier("bm90IGEga2V5"), std::invalid_argument);
}
