#include "mail/feedback_report.hpp"

#include <algorithm>
#include <cctype>

namespace invites::mail {
namespace {

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

}  // namespace

FeedbackReport parse_feedback_report(std::string_view text) {
  const std::vector<FieldGroup> groups = parse_field_groups(text);
  const FieldGroup& fields = groups.front();  // RFC 5965 has one group; later ones are ignored
  FeedbackReport report;
  report.feedback_type = lowered(fields.value("feedback-type"));
  if (report.feedback_type.empty()) throw ReportError("the feedback report has no Feedback-Type");
  report.user_agent = fields.value("user-agent");
  report.original_mail_from = typed_address(fields.value("original-mail-from"));
  for (const std::string& rcpt : fields.values("original-rcpt-to")) {
    std::string address = typed_address(rcpt);
    if (!address.empty()) report.original_rcpt_to.push_back(std::move(address));
  }
  report.arrival_date = fields.value("arrival-date");
  if (report.arrival_date.empty()) report.arrival_date = fields.value("received-date");  // RFC 5965's older name
  report.source_ip = fields.value("source-ip");
  return report;
}

bool is_complaint(const FeedbackReport& report) { return is_complaint_type(report.feedback_type); }

bool is_complaint_type(std::string_view feedback_type) {
  return feedback_type == "abuse" || feedback_type == "fraud" || feedback_type == "virus" || feedback_type == "other";
}

}  // namespace invites::mail
