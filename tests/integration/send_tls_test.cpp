// Sending over STARTTLS with AUTH through invites-server's own options
// (--smtp-starttls, --smtp-user, --smtp-password, --smtp-ca-file) to a real
// SMTP sink with a throwaway CA: the options reach the transport, the
// certificate is verified against the given CA, and the API names a
// verification failure.
#include <catch2/catch.hpp>

#include "support/child_process.hpp"
#include "support/send_stack.hpp"
#include "support/test_certificates.hpp"

using namespace invites;
using nlohmann::json;

namespace {

// The sink offers STARTTLS with the server certificate of `certificates`,
// refuses mail before it and requires AUTH as mailer / s3cret after it.
testing::SmtpSinkOptions tls_sink(const testing::TestCertificates& certificates) {
  return {.username = "mailer",
          .password = "s3cret",
          .tls_certificate = certificates.server_certificate(),
          .tls_key = certificates.server_key(),
          .require_starttls = true};
}

std::vector<std::string> tls_serve_options(const std::filesystem::path& ca_file) {
  return {"--smtp-starttls", "--smtp-user", "mailer", "--smtp-password", "s3cret", "--smtp-ca-file", ca_file.string()};
}

// A test send fails with 502 and a message containing `expected`, and nothing reaches the sink.
void check_test_send_refused(testing::SendStack& stack, const std::string& expected) {
  const auto result = stack.post(
      "/api/test-send",
      {{"template_id", stack.template_id()}, {"from_email", testing::division_sender}, {"to", "me@staff.example"}});
  INFO(result->body);
  CHECK(result->status == 502);
  const auto message = json::parse(result->body)["error"]["message"].get<std::string>();
  CHECK_THAT(message, Catch::Contains(expected));
  CHECK(stack.sink().messages().empty());
}

}  // namespace

TEST_CASE("a job over STARTTLS with AUTH: every message arrives once, over TLS, from the configured user",
          "[mariadb][http][smtp]") {
  const testing::TestCertificates certificates;
  testing::SendStack stack(tls_sink(certificates));
  const auto people = stack.write_numbered_people(3);
  stack.start_server(tls_serve_options(certificates.ca_certificate()));

  const auto job = stack.wait_completed(stack.send(stack.load()));
  CHECK(job["sent"] == 3);
  CHECK(job["failed"] == 0);
  const auto messages = stack.sink().messages();
  REQUIRE(messages.size() == 3);
  for (const auto& message : messages) {
    INFO(message.rcpt);
    CHECK(message.tls.has_value());
    CHECK(message.auth_login == "mailer");
    CHECK(testing::invite_link_in(message.raw).find("/portal/accept?token=") != std::string::npos);
  }
  CHECK(stack.received_per_recipient().size() == people.size());
}

TEST_CASE("a server that does not trust the SMTP server's CA: the test send fails naming TLS verification",
          "[mariadb][http][smtp]") {
  const testing::TestCertificates certificates, other_ca;
  testing::SendStack stack(tls_sink(certificates));
  testing::write_people(stack.sql(), {{"maria@example.com"}});  // and the division whose sender is used
  stack.start_server(tls_serve_options(other_ca.ca_certificate()));
  check_test_send_refused(stack, "TLS certificate verification of the SMTP server failed");
}

TEST_CASE("with AUTH credentials a server that offers no STARTTLS is refused: the password never goes out in clear",
          "[mariadb][http][smtp]") {
  // AUTH over plain text would be accepted by this sink.
  testing::SendStack stack(testing::SmtpSinkOptions{.username = "mailer", .password = "s3cret"});
  testing::write_people(stack.sql(), {{"maria@example.com"}});
  stack.start_server({"--smtp-user", "mailer", "--smtp-password", "s3cret"});
  check_test_send_refused(stack, "does not offer STARTTLS");
}

TEST_CASE("serve refuses a --smtp-ca-file that does not exist, naming the option", "[cli]") {
  const auto result = testing::run_process({testing::invites_server_path(), "serve", "--db", "mysql://u@127.0.0.1/x",
                                            "--smtp", "smtp://127.0.0.1:25", "--smtp-ca-file", "/nonexistent/ca.pem"});
  INFO(result.output);
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.output, Catch::Contains("--smtp-ca-file") && Catch::Contains("/nonexistent/ca.pem"));
}
