#pragma once
// Where invitations go (docs/design.md §6): an SMTP server through libcurl, or a
// local Maildir when no SMTP server is configured (the demo default).
// A transport object is used by one thread at a time; the job runner makes
// one per worker, so SMTP connections are reused across messages.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace invites::mail {

enum class DeliveryOutcome {
  delivered,          // the server accepted the message (250 to DATA) / the file is in new/
  temporary_failure,  // 4xx, connection refused/lost, timeout: retry later
  permanent_failure,  // 5xx: do not retry this recipient
};

struct DeliveryResult {
  DeliveryOutcome outcome;
  // The server's last reply line ("550 5.1.1 <x@y>: Recipient address
  // rejected") or the connection error; empty when delivered.
  std::string detail;
  // True when the failure is about the connection or the sender rather than
  // this recipient (refused, lost, timeout, TLS or AUTH failure, MAIL FROM
  // refused): the runner backs the worker off instead of blaming the recipient.
  bool connection_problem = false;
  // The SMTP command the failing reply answered ("RCPT", "DATA", ...); empty
  // when delivered, for the greeting and when no command got a reply.
  std::string command;

  // A 5xx to RCPT or DATA: the server refused this recipient or the message
  // to it, a bounce at once (docs/bounces.md). Other permanent failures say
  // nothing about the address.
  bool refuses_recipient() const {
    return outcome == DeliveryOutcome::permanent_failure && (command == "RCPT" || command == "DATA");
  }
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Delivers one message (build_message output) from envelope_from to
  // recipient. Never throws for delivery problems: they are the result.
  virtual DeliveryResult deliver(const std::string& envelope_from, const std::string& recipient,
                                 const std::string& message) = 0;
};

struct SmtpOptions {
  std::string url;                      // smtp://host:port or smtps://host:port
  std::optional<std::string> username;  // AUTH when set
  std::optional<std::string> password;
  bool require_starttls = false;  // STARTTLS must succeed on smtp:// (else: used when offered)
  // The server's TLS certificate is always verified (peer and host name);
  // this PEM file of CA certificates replaces the system's CA bundle for it
  // (a mail relay with a private CA). Unset: the system's bundle.
  std::optional<std::filesystem::path> ca_file;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{60};  // whole transaction of one message
  std::string helo_name;             // "" = libcurl's default
};

// Throws std::invalid_argument for a URL that is not smtp:// or smtps://.
std::unique_ptr<MailTransport> make_smtp_transport(const SmtpOptions& options);

// Writes each message to DIR/tmp then renames it into DIR/new (Maildir),
// creating DIR/{tmp,new,cur} when missing; fsyncs file and directory.
std::unique_ptr<MailTransport> make_maildir_transport(const std::filesystem::path& directory);

}  // namespace invites::mail
