#include "mail/report_outcome.hpp"

#include "mail/mime_encoding.hpp"

#include <array>

#include <invites/enum_names.hpp>

namespace invites::mail {
namespace {

// Indexed by OutcomeKind.
constexpr std::array<std::string_view, 3> outcome_kind_names{"hard_bounce", "soft_bounce", "complaint"};
static_assert(detail::all_named(outcome_kind_names));

std::string limited(const std::string& text) { return printable_utf8(text, diagnostic_limit); }

std::optional<ReportedOutcome> bounce_outcome(const DeliveryStatus& status) {
  const RecipientStatus* worst = nullptr;
  BounceSeverity worst_severity = BounceSeverity::none;
  for (const RecipientStatus& recipient : status.recipients) {
    const BounceSeverity severity = severity_of(recipient);
    if (severity > worst_severity) {
      worst = &recipient;
      worst_severity = severity;
    }
  }
  if (worst == nullptr) return std::nullopt;
  ReportedOutcome outcome;
  outcome.kind = worst_severity == BounceSeverity::hard ? OutcomeKind::hard_bounce : OutcomeKind::soft_bounce;
  outcome.address = worst->original_recipient.empty() ? worst->final_recipient : worst->original_recipient;
  outcome.status = worst->status;
  outcome.diagnostic = limited(worst->diagnostic_code.empty() ? "status " + worst->status : worst->diagnostic_code);
  return outcome;
}

std::optional<ReportedOutcome> complaint_outcome(const FeedbackReport& feedback) {
  if (!is_complaint(feedback)) return std::nullopt;
  ReportedOutcome outcome;
  outcome.kind = OutcomeKind::complaint;
  if (!feedback.original_rcpt_to.empty()) outcome.address = feedback.original_rcpt_to.front();
  outcome.diagnostic = "complaint (" + feedback.feedback_type + ")";
  if (!feedback.user_agent.empty()) outcome.diagnostic += " reported by " + feedback.user_agent;
  outcome.diagnostic = limited(outcome.diagnostic);
  return outcome;
}

}  // namespace

std::string_view outcome_kind_name(OutcomeKind kind) { return detail::name_in(outcome_kind_names, kind); }

std::optional<OutcomeKind> parse_outcome_kind(std::string_view name) {
  return detail::find_name<OutcomeKind>(outcome_kind_names, name);
}

std::optional<ReportedOutcome> reported_outcome(const InboundReport& report) {
  switch (report.kind) {
    case InboundKind::delivery_status:
      return bounce_outcome(report.delivery);
    case InboundKind::feedback:
      return complaint_outcome(report.feedback);
    case InboundKind::auto_reply:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> attributed_outbox(const InboundReport& report, const VerpCodec& verp) {
  for (const std::string& address : report.envelope_recipients)
    if (auto id = verp.outbox_id_of_address(address)) return id;
  for (const std::string& sender : report.original_senders)
    if (auto id = verp.outbox_id_of_address(sender)) return id;
  if (!report.original_message_id.empty()) return verp.outbox_id_of_message_id(report.original_message_id);
  return std::nullopt;
}

}  // namespace invites::mail
