#include "mail/delivery_status.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>

namespace invites::mail {
namespace {

// RFC 3463 status codes: class.subject.detail, not part of a longer dotted
// number (an IP address in a diagnostic).
const std::regex& status_code() {
  static const std::regex pattern(R"((?:^|[^0-9.])([245]\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9]|\.[0-9]))");
  return pattern;
}

std::optional<std::string> first_status_code(std::string_view text) {
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_search(text.begin(), text.end(), match, status_code())) return std::nullopt;
  return match.str(1);
}

// "smtp; 550 Requested action not taken" (a reply without an enhanced
// code): the reply's class as "5.0.0" / "4.0.0".
std::optional<std::string> status_of_reply_code(std::string_view diagnostic) {
  static const std::regex reply(R"(^\s*smtp\s*;\s*([245])\d\d\b)", std::regex::icase);
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_search(diagnostic.begin(), diagnostic.end(), match, reply)) return std::nullopt;
  return match.str(1) + ".0.0";
}

std::string first_word_lowered(std::string_view text) {
  std::string word;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ';') break;
    word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return word;
}

RecipientAction parse_action(const std::string& value, const std::string& recipient) {
  const std::string action = first_word_lowered(value);
  if (action == "failed") return RecipientAction::failed;
  if (action == "delayed") return RecipientAction::delayed;
  if (action == "delivered") return RecipientAction::delivered;
  if (action == "relayed") return RecipientAction::relayed;
  if (action == "expanded") return RecipientAction::expanded;
  throw ReportError("recipient " + recipient + " has an unknown Action \"" + value + "\"");
}

RecipientStatus parse_recipient(const FieldGroup& group) {
  RecipientStatus recipient;
  recipient.final_recipient = typed_address(group.value("final-recipient"));
  if (recipient.final_recipient.empty()) throw ReportError("a recipient group of the report has no Final-Recipient");
  recipient.original_recipient = typed_address(group.value("original-recipient"));
  if (!group.has("action")) throw ReportError("recipient " + recipient.final_recipient + " has no Action");
  recipient.action = parse_action(group.value("action"), recipient.final_recipient);
  recipient.diagnostic_code = group.value("diagnostic-code");
  recipient.remote_mta = group.value("remote-mta");
  // Status is required, but some gateways write it badly: the diagnostic's
  // own code is the next best witness of the server's verdict.
  auto status = first_status_code(group.value("status"));
  if (!status) status = first_status_code(recipient.diagnostic_code);
  if (!status) status = status_of_reply_code(recipient.diagnostic_code);
  if (!status)
    throw ReportError("recipient " + recipient.final_recipient + " has no usable Status (\"" + group.value("status") +
                      "\")");
  recipient.status = *status;
  return recipient;
}

}  // namespace

DeliveryStatus parse_delivery_status(std::string_view text) {
  const std::vector<FieldGroup> groups = parse_field_groups(text);
  DeliveryStatus report;
  auto first_recipient = groups.begin();
  // The per-message group comes first; a generator that left it out starts with a recipient.
  if (!first_recipient->has("final-recipient")) {
    report.reporting_mta = first_recipient->value("reporting-mta");
    report.original_envelope_id = first_recipient->value("original-envelope-id");
    ++first_recipient;
  }
  for (auto group = first_recipient; group != groups.end(); ++group)
    report.recipients.push_back(parse_recipient(*group));
  if (report.recipients.empty()) throw ReportError("the delivery status names no recipient");
  return report;
}

BounceSeverity severity_of(const RecipientStatus& recipient) {
  if (recipient.action != RecipientAction::failed) return BounceSeverity::none;
  if (recipient.status.starts_with('5')) return BounceSeverity::hard;
  if (recipient.status.starts_with('4')) return BounceSeverity::soft;
  return BounceSeverity::none;  // "failed" with a success class: contradictory, not a verdict
}

}  // namespace invites::mail
