#pragma once
// Bounce and complaint events as mail providers post them to webhooks:
// Amazon SES (the Message of an SNS notification), SendGrid's event webhook
// and Postmark's bounce and spam complaint webhooks. Events that say
// nothing about an address (deliveries, opens, deferrals, auto-responders)
// are left out.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mail/report_fields.hpp"
#include "mail/report_outcome.hpp"

namespace invites::mail {

struct ProviderEvent {
  std::string event_id;  // unique per provider: replays of the same event carry the same id
  OutcomeKind kind = OutcomeKind::hard_bounce;
  std::string address;     // the recipient (as the provider wrote it)
  std::string status;      // "5.1.1" when the provider says, else ""
  std::string diagnostic;  // the provider's or remote server's words
  std::string message_id;  // the original's Message-ID when the provider gives it, else ""
};

// Each throws ReportError naming what is missing or of the wrong type.
std::vector<ProviderEvent> ses_events(std::string_view notification_json);
std::vector<ProviderEvent> sendgrid_events(std::string_view body);
std::vector<ProviderEvent> postmark_events(std::string_view body);

}  // namespace invites::mail
