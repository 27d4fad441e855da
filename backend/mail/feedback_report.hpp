#pragma once
// RFC 5965 abuse reporting format (ARF): the message/feedback-report part of
// a complaint that a mailbox provider's feedback loop sends when a recipient
// marks a message as spam.
#include <string>
#include <string_view>
#include <vector>

#include "mail/report_fields.hpp"

namespace invites::mail {

struct FeedbackReport {
  std::string feedback_type;                  // lower case: "abuse", "fraud", "virus", "other", "not-spam", ...
  std::string user_agent;                     // "" when absent
  std::string original_mail_from;             // address of Original-Mail-From, "" when absent
  std::vector<std::string> original_rcpt_to;  // addresses of Original-Rcpt-To (often redacted or absent)
  std::string arrival_date;                   // as given, "" when absent
  std::string source_ip;                      // "" when absent
};

// The text of a message/feedback-report part. Throws ReportError when it
// has no Feedback-Type (the one field without which it says nothing).
FeedbackReport parse_feedback_report(std::string_view text);

// A recipient's complaint: the types by which a person reported the
// message as unwanted (not "not-spam", nor DMARC's "auth-failure").
bool is_complaint(const FeedbackReport& report);
// The same for a Feedback-Type (lower case) on its own, as providers pass it on.
bool is_complaint_type(std::string_view feedback_type);

}  // namespace invites::mail
