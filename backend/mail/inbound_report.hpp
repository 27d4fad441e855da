#pragma once
// What a message that came back to a bounce address is: a delivery status
// notification (RFC 3464), a complaint report (RFC 5965), or an auto-reply,
// with the places where the original message's VERP address or Message-ID
// can show. Anything else is a ReportError that says what the message is.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mail/delivery_status.hpp"
#include "mail/feedback_report.hpp"

namespace invites::mail {

enum class InboundKind { delivery_status, feedback, auto_reply };

struct InboundReport {
  InboundKind kind = InboundKind::delivery_status;
  DeliveryStatus delivery;        // kind == delivery_status
  FeedbackReport feedback;        // kind == feedback
  std::string auto_reply_reason;  // kind == auto_reply
  std::string message_id;         // the report's own Message-ID, "" when absent
  std::string date;               // the report's own Date, "" when absent
  // Where a report addressed to a VERP address shows it: Delivered-To,
  // X-Original-To, Envelope-To, X-Envelope-To, To (in that order).
  std::vector<std::string> envelope_recipients;
  // The returned original's envelope sender: its Return-Path, a complaint's
  // Original-Mail-From.
  std::vector<std::string> original_senders;
  std::string original_message_id;  // Message-ID of the returned original, "" when not included
};

// Throws ReportError for a message that is none of the three, or a report
// whose machine-readable part cannot be read.
InboundReport read_inbound_message(std::string_view raw);

}  // namespace invites::mail
