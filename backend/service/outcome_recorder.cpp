#include "service/outcome_recorder.hpp"

#include <regex>

#include <spdlog/spdlog.h>

#include "invites/email.hpp"
#include "mail/inbound_report.hpp"
#include "mail/mime_encoding.hpp"
#include "mail/report_outcome.hpp"

namespace invites::service {
namespace {

std::string describe(const repository::NewOutcome& outcome, const repository::RecordedOutcome& recorded) {
  if (!recorded.recorded) return outcome.kind + " of " + outcome.email + " was already recorded";
  return outcome.kind + " of " + outcome.email + " recorded" + (recorded.suppressed ? ", address suppressed" : "");
}

// "550 5.1.1 <a@b>: Recipient address rejected" -> "5.1.1"; "550 No such user" -> "5.0.0".
std::string status_of_reply(const std::string& reply) {
  static const std::regex enhanced(R"(^[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b)");
  std::smatch match;
  if (std::regex_search(reply, match, enhanced)) return match.str(1);
  return reply.empty() ? "5.0.0" : std::string(1, reply.front()) + ".0.0";
}

}  // namespace

std::string OutcomeRecorder::record_mailbox_message(sql::Connection& connection, std::string_view raw) const {
  const mail::InboundReport report = mail::read_inbound_message(raw);
  if (report.kind == mail::InboundKind::auto_reply) return "auto-reply ignored (" + report.auto_reply_reason + ")";
  const auto outcome = mail::reported_outcome(report);
  if (!outcome) return "report without a failure or complaint ignored";
  const auto outbox_id = verp_ ? mail::attributed_outbox(report, *verp_->codec(connection)) : std::nullopt;
  if (!outbox_id) {
    spdlog::warn("bounce mailbox: a {} of {} names no message of this tool; ignored",
                 mail::outcome_kind_name(outcome->kind), outcome->address);
    return "not attributable to a message of this tool; ignored";
  }
  const auto message = repository::outbox_message(connection, *outbox_id);
  if (!message) return "message " + std::to_string(*outbox_id) + " does not exist; ignored";
  repository::NewOutcome recorded_outcome{.email = message->email,
                                          .kind = std::string(mail::outcome_kind_name(outcome->kind)),
                                          .source = "mailbox",
                                          .outbox_id = message->outbox_id,
                                          .job_id = message->job_id,
                                          .status_code = outcome->status,
                                          .diagnostic = outcome->diagnostic,
                                          .dedupe_key = ""};
  recorded_outcome.dedupe_key = repository::outcome_key_for_message(*message, recorded_outcome.kind);
  return describe(recorded_outcome, repository::record_outcome(connection, recorded_outcome, rules_));
}

std::size_t OutcomeRecorder::record_provider_events(sql::Connection& connection, const std::string& source,
                                                    const std::vector<mail::ProviderEvent>& events) const {
  std::size_t recorded = 0;
  for (const mail::ProviderEvent& event : events) {
    const std::string email = normalize_email(event.address);
    if (!is_valid_email(email)) {
      spdlog::warn("{} webhook: event {} names no valid address (\"{}\"); ignored", source, event.event_id,
                   mail::printable_utf8(event.address, 254));
      continue;
    }
    std::optional<repository::OutboxMessage> message;
    if (verp_ && !event.message_id.empty())
      if (const auto id = verp_->codec(connection)->outbox_id_of_message_id(event.message_id))
        message = repository::outbox_message(connection, *id);
    if (!message) message = repository::last_message_to(connection, email);
    repository::NewOutcome outcome{.email = message ? message->email : email,
                                   .kind = std::string(mail::outcome_kind_name(event.kind)),
                                   .source = source,
                                   .outbox_id = std::nullopt,
                                   .job_id = std::nullopt,
                                   .status_code = event.status,
                                   .diagnostic = mail::printable_utf8(event.diagnostic, mail::diagnostic_limit),
                                   .dedupe_key = ""};
    if (message) {
      outcome.outbox_id = message->outbox_id;
      outcome.job_id = message->job_id;
      outcome.dedupe_key = repository::outcome_key_for_message(*message, outcome.kind);
    } else {
      outcome.dedupe_key = source + ":" + mail::printable_utf8(event.event_id, 150);
    }
    const auto result = repository::record_outcome(connection, outcome, rules_);
    spdlog::info("{} webhook: {}", source, describe(outcome, result));
    recorded += result.recorded;
  }
  return recorded;
}

void OutcomeRecorder::record_rejection(sql::Connection& connection, const repository::OutboxMessage& message,
                                       const std::string& reply) const {
  repository::NewOutcome outcome{.email = message.email,
                                 .kind = "hard_bounce",
                                 .source = "smtp",
                                 .outbox_id = message.outbox_id,
                                 .job_id = message.job_id,
                                 .status_code = status_of_reply(reply),
                                 .diagnostic = mail::printable_utf8(reply, mail::diagnostic_limit),
                                 .dedupe_key = repository::outcome_key_for_message(message, "hard_bounce")};
  const auto result = repository::record_outcome(connection, outcome, rules_);
  spdlog::info("sender: {}", describe(outcome, result));
}

}  // namespace invites::service
