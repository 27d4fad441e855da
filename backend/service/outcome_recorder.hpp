#pragma once
// Turns what comes back after sending into recorded outcomes (docs/design.md §11):
// messages of the bounce mailbox, provider webhook events and synchronous
// SMTP rejections, each attributed to its outbox row where it can be (VERP
// address or Message-ID; for provider events without one, the last message
// sent to the address) and recorded once with the suppression it causes.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <cppconn/connection.h>

#include "mail/provider_events.hpp"
#include "repository/delivery_outcomes.hpp"
#include "service/verp_key.hpp"

namespace invites::service {

class OutcomeRecorder {
 public:
  // Without `verp` (no bounce domain configured) nothing can be attributed
  // to a message: mailbox reports are ignored, provider events go by address.
  OutcomeRecorder(std::shared_ptr<const VerpKey> verp, repository::SuppressionRules rules)
      : verp_(std::move(verp)), rules_(rules) {}

  // One message of the bounce mailbox: what came of it, in words, for the
  // log and the claim ("hard_bounce of a@b.example recorded, address
  // suppressed", "auto-reply ignored (...)", ...). Throws mail::ReportError
  // for a message that cannot be read.
  std::string record_mailbox_message(sql::Connection& connection, std::string_view raw) const;

  // Events of an authenticated provider webhook ("ses", "sendgrid",
  // "postmark"); returns how many were new outcomes.
  std::size_t record_provider_events(sql::Connection& connection, const std::string& source,
                                     const std::vector<mail::ProviderEvent>& events) const;

  // A 5xx the SMTP server gave for this message (RCPT or DATA): a hard bounce.
  void record_rejection(sql::Connection& connection, const repository::OutboxMessage& message,
                        const std::string& reply) const;

  const repository::SuppressionRules& rules() const { return rules_; }

 private:
  std::shared_ptr<const VerpKey> verp_;
  repository::SuppressionRules rules_;
};

}  // namespace invites::service
