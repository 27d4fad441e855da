#pragma once
// The real mail path of a bounce (issue 14's end-to-end test), on loopback:
//
//   invites-server --smtp--> Postfix relay --smtp--> SmtpSink (rejects some recipients)
//                               |  (Postfix writes the DSN to the VERP envelope sender)
//                               v
//                  Maildir of the bounce domain --imap--> Dovecot --> invites-server poller
//
// Postfix (Debian's, private config and queue under a temporary directory,
// its master in the foreground as a child process) accepts everything from
// loopback into its queue, relays the recipient domain to the sink, and on
// the sink's 5xx (or 4xx: queue lifetime 0) generates a real DSN, which its
// virtual delivery agent writes into the bounce Maildir. Dovecot (private
// config, plain-text login on a loopback port) serves that Maildir.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "support/child_process.hpp"
#include "support/temporary_directory.hpp"

namespace invites::testing {

struct BounceRelayOptions {
  std::string recipient_domain = "customers.test";  // relayed to the sink
  std::string bounce_domain = "bounces.test";       // delivered into the bounce mailbox
  int sink_port = 0;                                // the SmtpSink standing in for recipients' servers
};

class BounceRelay {
 public:
  // Starts Postfix and Dovecot on free loopback ports; throws
  // std::runtime_error (with their logs) when either does not come up.
  explicit BounceRelay(BounceRelayOptions options);
  ~BounceRelay();  // stops both and deletes their files
  BounceRelay(const BounceRelay&) = delete;
  BounceRelay& operator=(const BounceRelay&) = delete;

  std::string smtp_url() const;  // Postfix: smtp://127.0.0.1:PORT
  std::string imap_url() const;  // Dovecot: imap://127.0.0.1:PORT/INBOX
  static constexpr const char* imap_user = "bounces";
  static constexpr const char* imap_password = "bounce-test-password";

  // Messages in the bounce mailbox (new and cur).
  std::size_t mailbox_size() const;
  // Waits until the mailbox holds at least `count` messages; false on timeout.
  bool wait_for_mailbox(std::size_t count, std::chrono::milliseconds timeout) const;
  // Postfix's log so far (for failure messages).
  std::string postfix_log() const;

 private:
  void write_postfix_config() const;
  void write_dovecot_config() const;
  void start_postfix();
  void start_dovecot();

  BounceRelayOptions options_;
  TemporaryDirectory directory_{"bounce-relay"};
  int smtp_port_ = 0;
  int imap_port_ = 0;
  std::unique_ptr<ChildProcess> postfix_;
  std::unique_ptr<ChildProcess> dovecot_;
};

}  // namespace invites::testing
