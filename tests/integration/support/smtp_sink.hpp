#pragma once
// A real SMTP server for tests: tests/support/smtp_sink.py (python3-aiosmtpd)
// as a child process on a free local port, storing what it accepts in a
// private temporary directory. See the script's docstring for the
// recipient patterns (tempfail..., tempfailK-..., permfail...) and the
// control knobs of set_control().
//
//   invites::testing::SmtpSink sink;
//   auto transport = invites::mail::make_smtp_transport({.url = sink.url()});
//   transport->deliver("from@example.com", "to@example.com", message);
//   REQUIRE(sink.messages().size() == 1);
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/temporary_directory.hpp"

namespace invites::testing {

// One accepted message for one recipient.
struct SinkMessage {
  std::string mail_from;                  // the envelope sender (MAIL FROM)
  std::string rcpt;                       // the envelope recipient (RCPT TO)
  int connection = 0;                     // 1-based number of the SMTP connection that carried it
  std::string raw;                        // the message bytes as received (dot-stuffing undone)
  std::optional<std::string> tls;         // the TLS version after STARTTLS ("TLSv1.3"); nullopt: plain text
  std::optional<std::string> auth_login;  // the user AUTH accepted; nullopt: no AUTH
};

struct SmtpSinkOptions {
  // When set, the sink requires AUTH (PLAIN/LOGIN) with this user and
  // password before MAIL FROM: over plain text without tls_certificate, only
  // after STARTTLS with it.
  std::optional<std::string> username;
  std::optional<std::string> password;
  // When set (with tls_key), the sink offers STARTTLS with this PEM certificate.
  std::optional<std::filesystem::path> tls_certificate;
  std::optional<std::filesystem::path> tls_key;
  // Refuse MAIL, AUTH and the rest (530) until STARTTLS; needs tls_certificate.
  bool require_starttls = false;
};

class SmtpSink {
 public:
  // Starts the sink on a free port and waits until it accepts connections.
  // Throws std::runtime_error when it does not start within 15 s.
  SmtpSink() : SmtpSink(SmtpSinkOptions{}) {}
  explicit SmtpSink(SmtpSinkOptions options);
  ~SmtpSink();  // stops the server and deletes its directory
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "smtp://127.0.0.1:PORT"

  // Every message accepted so far, in the order accepted (also across
  // restarts). Connection numbers restart at 1 after restart().
  std::vector<SinkMessage> messages() const;

  // Writes control.json, read by the sink at every MAIL FROM, e.g.
  // {{"reject_all", "451 4.3.2 try later"}}, {{"reject_data", "554 5.7.1 no"}},
  // {{"delay_ms", 2000}}; an empty object restores normal behaviour.
  void set_control(const nlohmann::json& control);

  // Stops the server: connections are refused until restart().
  void stop();
  // Starts it again on the same port, keeping the stored messages.
  void restart();
  bool running() const { return process_ != nullptr; }

  const std::filesystem::path& directory() const { return directory_.path(); }

 private:
  void start(int port);

  SmtpSinkOptions options_;
  TemporaryDirectory directory_{"smtp-sink"};  // holds maildir/ and control/
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

}  // namespace invites::testing
