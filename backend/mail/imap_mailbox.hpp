#pragma once
// The bounce mailbox over IMAP (libcurl): which messages are still to be
// processed, their raw text, and marking them processed (a keyword and
// \Seen) or deleting them. One connection, reused; one thread at a time.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace invites::mail {

struct ImapOptions {
  std::string url;  // imap://host:port/MAILBOX or imaps://host:port/MAILBOX ("/INBOX" when no mailbox)
  std::string username;
  std::string password;
  bool require_starttls = false;                 // on imap://: STARTTLS must succeed (else used when offered)
  std::optional<std::filesystem::path> ca_file;  // PEM CAs for the server's certificate; nullopt: the system's
  std::chrono::seconds timeout{30};
};

// A failed IMAP command, naming it and libcurl's or the server's words.
class ImapError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Keyword that marks messages this tool has processed (when not deleting them).
inline constexpr const char* processed_keyword = "$InvitesProcessed";

class ImapMailbox {
 public:
  // Throws std::invalid_argument for a URL that is not imap:// or imaps://.
  explicit ImapMailbox(ImapOptions options);
  ~ImapMailbox();
  ImapMailbox(const ImapMailbox&) = delete;
  ImapMailbox& operator=(const ImapMailbox&) = delete;

  // "host:port/MAILBOX user": the same mailbox seen by every server, for claims.
  const std::string& identity() const { return identity_; }

  std::uint64_t uid_validity();
  // UIDs neither deleted nor marked processed, ascending.
  std::vector<std::uint64_t> unprocessed_uids();
  // The whole message (RFC 5322 text).
  std::string fetch(std::uint64_t uid);
  void mark_processed(std::uint64_t uid);
  // Flags the message \Deleted and expunges.
  void remove(std::uint64_t uid);

 private:
  // Runs an IMAP command on `url` and returns the untagged response text.
  std::string command(const std::string& url, const std::string& request);

  ImapOptions options_;
  std::string server_url_;   // imap://host:port/
  std::string mailbox_url_;  // imap://host:port/MAILBOX
  std::string mailbox_;      // decoded mailbox name
  std::string identity_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace invites::mail
