#pragma once
// Claims on bounce mailbox messages (table inbound_mail_claims): before a
// server acts on a message it claims the message's UID, so that of several
// servers polling one mailbox exactly one records its outcome. A claim that
// was not finished within its lease (the server died) may be taken over.
#include <chrono>
#include <cstdint>
#include <string>

#include <cppconn/connection.h>

namespace invites::repository {

struct MailboxMessage {
  std::string mailbox;  // ImapMailbox::identity()
  std::uint64_t uid_validity = 0;
  std::uint64_t uid = 0;
};

enum class ClaimState {
  claimed,  // ours now: process it
  taken,    // another server holds a live claim: leave it
  done,     // processed before (by anyone): only flag or delete it
};

// `token` identifies this attempt (random); `lease` is how long a claim
// protects a message that is not done.
ClaimState claim_message(sql::Connection& connection, const MailboxMessage& message, const std::string& token,
                         std::chrono::seconds lease);
// Marks the message done with what came of it (at most 255 bytes kept).
void finish_claim(sql::Connection& connection, const MailboxMessage& message, const std::string& token,
                  const std::string& result);

}  // namespace invites::repository
