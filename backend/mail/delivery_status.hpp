#pragma once
// RFC 3464 delivery status notifications: the message/delivery-status part
// (per-message fields, then one field group per recipient) and what each
// recipient's verdict means for the address: a permanent failure (5.x.x) is
// a hard bounce, a failure after temporary errors (4.x.x) a soft one;
// "delayed", "delivered", "relayed" and "expanded" are not bounces.
#include <string>
#include <string_view>
#include <vector>

#include "mail/report_fields.hpp"

namespace invites::mail {

enum class RecipientAction { failed, delayed, delivered, relayed, expanded };

struct RecipientStatus {
  std::string final_recipient;     // the address of Final-Recipient ("rfc822; a@b" -> "a@b")
  std::string original_recipient;  // of Original-Recipient, "" when absent
  RecipientAction action = RecipientAction::failed;
  std::string status;           // "5.1.1": from Status, or from Diagnostic-Code when Status is unusable
  std::string diagnostic_code;  // as given ("smtp; 550 5.1.1 ..."), "" when absent
  std::string remote_mta;       // "" when absent
};

struct DeliveryStatus {
  std::string reporting_mta;         // "dns; mx.example.com", "" when absent
  std::string original_envelope_id;  // ENVID of the original MAIL FROM, "" when absent
  std::vector<RecipientStatus> recipients;
};

// The text of a message/delivery-status part. Throws ReportError when a
// recipient group lacks Final-Recipient or Action, has an unknown Action or
// no usable status, or when there is no recipient group at all.
DeliveryStatus parse_delivery_status(std::string_view text);

enum class BounceSeverity { none, soft, hard };
BounceSeverity severity_of(const RecipientStatus& recipient);

}  // namespace invites::mail
