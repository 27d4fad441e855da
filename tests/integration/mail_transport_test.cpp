// The SMTP and Maildir transports against real servers: the Python SMTP
// sink (tests/support/smtp_sink.py, also with STARTTLS from a throwaway CA)
// and the local file system. No database.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "mail/message.hpp"
#include "mail/transport.hpp"
#include "support/child_process.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_certificates.hpp"

using invites::mail::DeliveryOutcome;
using invites::mail::DeliveryResult;
using invites::mail::MessageError;
using invites::mail::OutgoingMessage;
using invites::testing::SmtpSink;
using invites::testing::SmtpSinkOptions;
using invites::testing::TestCertificates;

namespace {

constexpr std::time_t some_date = 1795000000;  // Wed, 18 Nov 2026 11:06:40 UTC

OutgoingMessage invitation_to(const std::string& to) {
  return {.from = "portal@example.com",
          .from_name = "Customer Portal",
          .to = to,
          .to_name = "Maria Lopez",
          .subject = "Your portal invitation",
          .text_body = "Hello Maria,\n.\n.leading dot\nbye\n",
          .html_body = ""};
}

std::string message_to(const std::string& to) {
  return invites::mail::build_message(invitation_to(to), some_date,
                                      invites::mail::new_message_id("portal@example.com"));
}

std::unique_ptr<invites::mail::MailTransport> transport_for(const SmtpSink& sink,
                                                            std::chrono::seconds timeout = std::chrono::seconds(20)) {
  return invites::mail::make_smtp_transport(
      {.url = sink.url(), .connect_timeout = std::chrono::seconds(5), .timeout = timeout});
}

DeliveryResult send(invites::mail::MailTransport& transport, const std::string& to) {
  return transport.deliver("portal@example.com", to, message_to(to));
}

// A message to `to` the server refuses with `reply` to `command`: that outcome, the reply and command kept,
// no connection problem; a 5xx is a refusal of the recipient (a bounce at once).
void check_refused(invites::mail::MailTransport& transport, const std::string& to, DeliveryOutcome outcome,
                   const std::string& reply, const std::string& command) {
  const DeliveryResult result = send(transport, to);
  CHECK(result.outcome == outcome);
  CHECK(result.detail == reply);
  CHECK(result.command == command);
  CHECK_FALSE(result.connection_problem);
  CHECK(result.refuses_recipient() == (outcome == DeliveryOutcome::permanent_failure));
}

// What Python's email package makes of a message (tests/support/parse_message.py).
nlohmann::json parsed_by_python(const std::string& raw) {
  char path[] = "/tmp/mail-transport-test-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << raw;
  auto result = invites::testing::run_process(
      {"/usr/bin/python3", std::string(INVITES_SOURCE_DIR) + "/tests/support/parse_message.py", path});
  unlink(path);
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  return nlohmann::json::parse(result.output);
}

// A sink that offers STARTTLS with the server certificate of `certificates`
// and requires it, and requires AUTH as mailer / s3cret after it.
SmtpSinkOptions tls_sink_options(const TestCertificates& certificates) {
  return {.username = "mailer",
          .password = "s3cret",
          .tls_certificate = certificates.server_certificate(),
          .tls_key = certificates.server_key(),
          .require_starttls = true};
}

// STARTTLS required, the CA of `certificates` trusted, AUTH as mailer with `password`.
invites::mail::SmtpOptions tls_transport_options(const SmtpSink& sink, const TestCertificates& certificates,
                                                 std::optional<std::string> password = "s3cret") {
  invites::mail::SmtpOptions options{
      .url = sink.url(), .require_starttls = true, .ca_file = certificates.ca_certificate()};
  if (password) {
    options.username = "mailer";
    options.password = std::move(password);
  }
  return options;
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) files.push_back(entry.path());
  return files;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

}  // namespace

TEST_CASE("several messages go over one SMTP connection, byte for byte") {
  SmtpSink sink;
  auto transport = transport_for(sink);
  std::vector<std::string> sent;
  for (int i = 0; i < 5; ++i) {
    std::string to = "user" + std::to_string(i) + "@example.com";
    sent.push_back(message_to(to));
    auto result = transport->deliver("bounces@example.com", to, sent.back());
    INFO(result.detail);
    REQUIRE(result.outcome == DeliveryOutcome::delivered);
    CHECK(result.detail.empty());
  }
  auto messages = sink.messages();
  REQUIRE(messages.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(messages[i].mail_from == "bounces@example.com");
    CHECK(messages[i].rcpt == "user" + std::to_string(i) + "@example.com");
    CHECK(messages[i].connection == 1);  // reused, not reconnected
    // Lines starting with "." survive: libcurl dot-stuffs, the sink unstuffs.
    CHECK(messages[i].raw == sent[i]);
  }
}

TEST_CASE("a delivered message is well-formed for an independent parser") {
  SmtpSink sink;
  auto transport = transport_for(sink);
  OutgoingMessage message{
      .from = "portal@example.com",
      .from_name = "Kundenportal Müller & Söhne",
      .to = "maria@example.com",
      .to_name = "Lopez, Maria",
      .subject = "Grüße — Einladung zum Kundenportal für Ihr Konto 100234 (gültig bis 2026-12-10)",
      .text_body = "Hallo Maria,\n\nbitte klicken Sie: https://portal.example.com/a?t=x=y\n",
      .html_body = "<p>Hallo Maria,</p>\n<p><a href=\"https://portal.example.com/a?t=x=y\">Annehmen</a></p>\n"};
  std::string raw = invites::mail::build_message(message, some_date, "<abc123@example.com>");
  REQUIRE(transport->deliver("portal@example.com", "maria@example.com", raw).outcome == DeliveryOutcome::delivered);
  auto stored = sink.messages();
  REQUIRE(stored.size() == 1);

  auto parsed = parsed_by_python(stored[0].raw);
  INFO(parsed.dump(2));
  CHECK(parsed["defects"].empty());
  CHECK(parsed["subject"] == message.subject);
  CHECK(parsed["from_name"] == message.from_name);
  CHECK(parsed["from_address"] == "portal@example.com");
  CHECK(parsed["to_name"] == message.to_name);
  CHECK(parsed["to_address"] == "maria@example.com");
  CHECK(parsed["date"] == "Wed, 18 Nov 2026 11:06:40 +0000");
  CHECK(parsed["message_id"] == "<abc123@example.com>");
  CHECK(parsed["mime_version"] == "1.0");
  CHECK(parsed["content_type"] == "multipart/alternative");
  CHECK(parsed["text"] == message.text_body);
  CHECK(parsed["html"] == message.html_body);
  CHECK(parsed["longest_line"].get<int>() <= 78);
  CHECK(parsed["bare_lf"] == false);
}

TEST_CASE("a 4xx reply is a temporary failure with the server's reply") {
  SmtpSink sink;
  auto transport = transport_for(sink);
  check_refused(*transport, "tempfail-anna@example.com", DeliveryOutcome::temporary_failure,
                "451 4.3.0 <tempfail-anna@example.com>: Temporary failure, try again later", "RCPT");
  // The transport goes on working after the refusal.
  CHECK(send(*transport, "bob@example.com").outcome == DeliveryOutcome::delivered);

  // tempfail2-: refused twice, then accepted (a retry succeeds).
  CHECK(send(*transport, "tempfail2-carl@example.com").outcome == DeliveryOutcome::temporary_failure);
  CHECK(send(*transport, "tempfail2-carl@example.com").outcome == DeliveryOutcome::temporary_failure);
  CHECK(send(*transport, "tempfail2-carl@example.com").outcome == DeliveryOutcome::delivered);
  auto messages = sink.messages();
  REQUIRE(messages.size() == 2);
  CHECK(messages[1].rcpt == "tempfail2-carl@example.com");
}

TEST_CASE("a 5xx reply is a permanent failure with the server's reply") {
  SmtpSink sink;
  auto transport = transport_for(sink);
  check_refused(*transport, "permfail-x@example.com", DeliveryOutcome::permanent_failure,
                "550 5.1.1 <permfail-x@example.com>: Recipient address rejected", "RCPT");
  CHECK(send(*transport, "ok@example.com").outcome == DeliveryOutcome::delivered);
  CHECK(sink.messages().size() == 1);
}

TEST_CASE("a refused MAIL FROM is the sender's problem whatever its code, a refused message the recipient's") {
  SmtpSink sink;
  auto transport = transport_for(sink);
  // MAIL FROM carries our (bounce) address: its refusal says nothing about the recipient.
  for (const std::string reply : {"451 4.3.2 System is busy", "553 5.7.1 Sender address rejected: not owned by user"}) {
    sink.set_control({{"reject_all", reply}});
    const DeliveryResult refused = send(*transport, "a@example.com");
    CHECK(refused.outcome == DeliveryOutcome::temporary_failure);
    CHECK(refused.detail == reply);
    CHECK(refused.command == "MAIL");
    CHECK(refused.connection_problem);
    CHECK_FALSE(refused.refuses_recipient());
  }

  sink.set_control({{"reject_data", "554 5.7.1 Message rejected as spam"}});
  check_refused(*transport, "a@example.com", DeliveryOutcome::permanent_failure, "554 5.7.1 Message rejected as spam",
                "DATA");

  sink.set_control(nlohmann::json::object());
  CHECK(send(*transport, "a@example.com").outcome == DeliveryOutcome::delivered);
  CHECK(sink.messages().size() == 1);
}

TEST_CASE("a server that is down is a temporary connection problem and a restarted one works again") {
  SmtpSink sink;
  auto transport = transport_for(sink);
  REQUIRE(send(*transport, "first@example.com").outcome == DeliveryOutcome::delivered);

  sink.stop();
  auto down = send(*transport, "second@example.com");
  CHECK(down.outcome == DeliveryOutcome::temporary_failure);
  CHECK(down.connection_problem);
  CHECK_FALSE(down.detail.empty());
  INFO(down.detail);

  sink.restart();
  auto again = send(*transport, "second@example.com");
  INFO(again.detail);
  CHECK(again.outcome == DeliveryOutcome::delivered);

  // A restart between two messages (the kept connection is dead) is not even noticed.
  sink.restart();
  auto after_restart = send(*transport, "third@example.com");
  INFO(after_restart.detail);
  CHECK(after_restart.outcome == DeliveryOutcome::delivered);
  CHECK(sink.messages().size() == 3);
}

TEST_CASE("a server that never answers times out as a connection problem") {
  SmtpSink sink;
  auto transport = transport_for(sink, std::chrono::seconds(1));
  sink.set_control({{"delay_ms", 2500}});
  auto slow = send(*transport, "slow@example.com");
  CHECK(slow.outcome == DeliveryOutcome::temporary_failure);
  CHECK(slow.connection_problem);
  INFO(slow.detail);
  sink.set_control(nlohmann::json::object());
  CHECK(send(*transport, "fast@example.com").outcome == DeliveryOutcome::delivered);
}

TEST_CASE("a connection refused from the start is a connection problem") {
  int port;
  {
    SmtpSink sink;  // a port that was free a moment ago and is closed now
    port = sink.port();
  }
  auto transport = invites::mail::make_smtp_transport({.url = "smtp://127.0.0.1:" + std::to_string(port)});
  auto result = transport->deliver("a@example.com", "b@example.com", message_to("b@example.com"));
  CHECK(result.outcome == DeliveryOutcome::temporary_failure);
  CHECK(result.connection_problem);
  CHECK_THAT(result.detail, Catch::Contains("connect"));
}

TEST_CASE("only smtp:// and smtps:// URLs make an SMTP transport") {
  CHECK_THROWS_AS(invites::mail::make_smtp_transport({.url = "http://127.0.0.1:25"}), std::invalid_argument);
  CHECK_THROWS_AS(invites::mail::make_smtp_transport({.url = "127.0.0.1:25"}), std::invalid_argument);
  CHECK_NOTHROW(invites::mail::make_smtp_transport({.url = "SMTPS://mail.example.com:465"}));
}

TEST_CASE("header injection through the subject, a name or an address is refused") {
  auto rejects = [](OutgoingMessage message, const std::string& expected) {
    CHECK_THROWS_WITH(invites::mail::build_message(message, some_date, "<a@example.com>"), Catch::Contains(expected));
  };
  auto message = invitation_to("maria@example.com");
  rejects(
      [&] {
        auto m = message;
        m.subject = "Hi\r\nBcc: victim@example.com";
        return m;
      }(),
      "subject contains a line break");
  rejects(
      [&] {
        auto m = message;
        m.subject = "Hi\nthere";
        return m;
      }(),
      "subject contains a line break");
  rejects(
      [&] {
        auto m = message;
        m.to_name = "Maria\rBcc: x@y.com";
        return m;
      }(),
      "to_name contains a line break");
  rejects(
      [&] {
        auto m = message;
        m.from_name = std::string("A\0B", 3);
        return m;
      }(),
      "from_name contains a NUL byte");
  rejects(
      [&] {
        auto m = message;
        m.to = "maria@example.com\r\nBcc: x@y.com";
        return m;
      }(),
      "to contains a line break");
  rejects(
      [&] {
        auto m = message;
        m.from = "not an address";
        return m;
      }(),
      "from \"not an address\" is not a valid address");
  CHECK_THROWS_AS(invites::mail::build_message(message, some_date, "<a@b.com>\r\nBcc: x@y.com"), MessageError);
}

TEST_CASE("the Maildir transport puts exactly one complete file in new/ per message") {
  auto directory = std::filesystem::temp_directory_path() / ("maildir-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(directory);
  auto transport = invites::mail::make_maildir_transport(directory / "outbox");
  std::string first = message_to("a@example.com");
  auto result = transport->deliver("portal@example.com", "a@example.com", first);
  CHECK(result.outcome == DeliveryOutcome::delivered);
  CHECK(std::filesystem::is_directory(directory / "outbox" / "cur"));
  CHECK(files_in(directory / "outbox" / "tmp").empty());
  auto delivered = files_in(directory / "outbox" / "new");
  REQUIRE(delivered.size() == 1);
  CHECK(read_file(delivered[0]) == first);  // no dot-stuffing, CRLF kept

  std::string second = message_to("b@example.com");
  REQUIRE(transport->deliver("portal@example.com", "b@example.com", second).outcome == DeliveryOutcome::delivered);
  delivered = files_in(directory / "outbox" / "new");
  REQUIRE(delivered.size() == 2);
  CHECK(delivered[0].filename() != delivered[1].filename());
  std::filesystem::remove_all(directory);
}

TEST_CASE("a Maildir that cannot be written is a temporary failure naming the error") {
  auto blocker = std::filesystem::temp_directory_path() / ("maildir-blocker-" + std::to_string(getpid()));
  std::ofstream(blocker) << "a file where a directory should be";
  auto transport = invites::mail::make_maildir_transport(blocker / "outbox");
  auto result = transport->deliver("portal@example.com", "a@example.com", message_to("a@example.com"));
  CHECK(result.outcome == DeliveryOutcome::temporary_failure);
  CHECK_THAT(result.detail, Catch::Contains("Not a directory"));
  std::filesystem::remove(blocker);
}

TEST_CASE("AUTH with the configured user works over the kept connection and a wrong password is a connection problem") {
  SmtpSink sink({.username = "mailer", .password = "s3cret"});
  invites::mail::SmtpOptions options{.url = sink.url(), .username = "mailer", .password = "s3cret"};
  auto transport = invites::mail::make_smtp_transport(options);
  CHECK(send(*transport, "a@example.com").outcome == DeliveryOutcome::delivered);
  CHECK(send(*transport, "b@example.com").outcome == DeliveryOutcome::delivered);
  auto messages = sink.messages();
  REQUIRE(messages.size() == 2);
  CHECK(messages[1].connection == 1);

  options.password = "wrong";
  auto denied = invites::mail::make_smtp_transport(options)->deliver("portal@example.com", "c@example.com",
                                                                     message_to("c@example.com"));
  CHECK(denied.outcome == DeliveryOutcome::temporary_failure);
  CHECK(denied.connection_problem);
  CHECK_THAT(denied.detail, Catch::StartsWith("535"));

  // Without credentials the server refuses MAIL FROM (530): also not the recipient's fault.
  auto anonymous = invites::mail::make_smtp_transport({.url = sink.url()})
                       ->deliver("portal@example.com", "d@example.com", message_to("d@example.com"));
  CHECK(anonymous.outcome == DeliveryOutcome::temporary_failure);
  CHECK(anonymous.connection_problem);
  INFO(anonymous.detail);
  CHECK_THAT(anonymous.detail, Catch::StartsWith("530"));
  CHECK(sink.messages().size() == 2);
}

TEST_CASE(
    "required STARTTLS that is not offered is a connection problem and an envelope with a line break is refused") {
  SmtpSink sink;  // offers no STARTTLS
  auto strict = invites::mail::make_smtp_transport({.url = sink.url(), .require_starttls = true});
  auto result = send(*strict, "a@example.com");
  CHECK(result.outcome == DeliveryOutcome::temporary_failure);
  CHECK(result.connection_problem);
  INFO(result.detail);

  auto transport = transport_for(sink);
  auto injected =
      transport->deliver("portal@example.com", "a@example.com>\r\nRCPT TO:<b@example.com", message_to("a@example.com"));
  CHECK(injected.outcome == DeliveryOutcome::permanent_failure);
  CHECK_FALSE(injected.connection_problem);
  CHECK_FALSE(injected.refuses_recipient());  // our own refusal, before any command: not a bounce
  CHECK(send(*transport, "a@example.com").outcome == DeliveryOutcome::delivered);
  auto messages = sink.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].rcpt == "a@example.com");
}

TEST_CASE("STARTTLS with AUTH: messages arrive intact over TLS from the configured user on one kept connection") {
  const TestCertificates certificates;
  SmtpSink sink(tls_sink_options(certificates));
  auto transport = invites::mail::make_smtp_transport(tls_transport_options(sink, certificates));
  std::vector<std::string> sent;
  for (const std::string to : {"a@example.com", "b@example.com"}) {
    sent.push_back(message_to(to));
    const auto result = transport->deliver("portal@example.com", to, sent.back());
    INFO(result.detail);
    REQUIRE(result.outcome == DeliveryOutcome::delivered);
  }
  const auto messages = sink.messages();
  REQUIRE(messages.size() == 2);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    CHECK(messages[i].raw == sent[i]);
    REQUIRE(messages[i].tls);
    CHECK_THAT(*messages[i].tls, Catch::StartsWith("TLSv1."));
    CHECK(messages[i].auth_login == "mailer");
    CHECK(messages[i].connection == 1);  // TLS and AUTH once, then reused
  }

  // The credentials are required: the same TLS session without them is refused before MAIL.
  const auto anonymous = invites::mail::make_smtp_transport(tls_transport_options(sink, certificates, std::nullopt))
                             ->deliver("portal@example.com", "c@example.com", message_to("c@example.com"));
  CHECK(anonymous.outcome == DeliveryOutcome::temporary_failure);
  CHECK(anonymous.connection_problem);
  CHECK_THAT(anonymous.detail, Catch::StartsWith("530"));
  CHECK(sink.messages().size() == 2);
}

TEST_CASE("a wrong password over STARTTLS is a temporary connection problem with the server's 535") {
  const TestCertificates certificates;
  SmtpSink sink(tls_sink_options(certificates));
  const auto denied = invites::mail::make_smtp_transport(tls_transport_options(sink, certificates, "wrong"))
                          ->deliver("portal@example.com", "a@example.com", message_to("a@example.com"));
  INFO(denied.detail);
  // Bad credentials are the server's configuration, not the recipient's fault:
  // the runner backs off and keeps the recipient pending.
  CHECK(denied.outcome == DeliveryOutcome::temporary_failure);
  CHECK(denied.connection_problem);
  CHECK_THAT(denied.detail, Catch::StartsWith("535"));
  CHECK(sink.messages().empty());
}

TEST_CASE("a server certificate from a CA not trusted fails TLS verification by name, and nothing goes in plain text") {
  const TestCertificates certificates, other_ca;
  SmtpSink sink(tls_sink_options(certificates));
  auto options = tls_transport_options(sink, certificates);
  SECTION("another CA's file") { options.ca_file = other_ca.ca_certificate(); }
  SECTION("the system's CA bundle") { options.ca_file.reset(); }
  SECTION("STARTTLS only offered, not required by the transport: it is used, and verified alike") {
    options.ca_file = other_ca.ca_certificate();
    options.require_starttls = false;
  }
  const auto result = invites::mail::make_smtp_transport(options)->deliver("portal@example.com", "a@example.com",
                                                                           message_to("a@example.com"));
  INFO(result.detail);
  CHECK(result.outcome == DeliveryOutcome::temporary_failure);
  CHECK(result.connection_problem);
  CHECK_THAT(result.detail, Catch::StartsWith("TLS certificate verification of the SMTP server failed"));
  CHECK_THAT(result.detail, Catch::Contains("unable to get local issuer certificate"));
  CHECK(sink.messages().empty());
}

TEST_CASE("a transport that does not require STARTTLS still upgrades when the server offers it") {
  const TestCertificates certificates;
  SmtpSink sink(tls_sink_options(certificates));  // refuses everything before STARTTLS
  auto options = tls_transport_options(sink, certificates);
  options.require_starttls = false;
  const auto result = invites::mail::make_smtp_transport(options)->deliver("portal@example.com", "a@example.com",
                                                                           message_to("a@example.com"));
  INFO(result.detail);
  REQUIRE(result.outcome == DeliveryOutcome::delivered);
  const auto messages = sink.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].tls);
  CHECK(messages[0].auth_login == "mailer");
}

TEST_CASE("a CA file that cannot be read is a connection problem naming the file") {
  const TestCertificates certificates;
  SmtpSink sink(tls_sink_options(certificates));
  auto options = tls_transport_options(sink, certificates);
  options.ca_file = certificates.server_key().parent_path() / "missing-ca.pem";
  const auto result = invites::mail::make_smtp_transport(options)->deliver("portal@example.com", "a@example.com",
                                                                           message_to("a@example.com"));
  INFO(result.detail);
  CHECK(result.outcome == DeliveryOutcome::temporary_failure);
  CHECK(result.connection_problem);
  CHECK_THAT(result.detail, Catch::Contains("missing-ca.pem"));
}
