#pragma once
// Bounces and complaints (tables delivery_outcomes, address_suppressions):
// recording an outcome exactly once and applying the suppression rules in
// the same transaction, and what the job view counts.
#include <cstdint>
#include <optional>
#include <string>

#include <cppconn/connection.h>

namespace invites::repository {

// docs/design.md §11: a hard bounce or a complaint suppresses the address at once;
// soft bounces after `soft_bounce_limit` within `soft_bounce_days` days
// (counting only those after the address's last lift).
struct SuppressionRules {
  std::uint32_t soft_bounce_limit = 3;
  std::uint32_t soft_bounce_days = 7;
};

struct NewOutcome {
  std::string email;   // normalized (docs/design.md §2.2)
  std::string kind;    // "hard_bounce", "soft_bounce", "complaint"
  std::string source;  // "smtp", "mailbox", "ses", "sendgrid", "postmark"
  std::optional<std::uint64_t> outbox_id;
  std::optional<std::uint64_t> job_id;
  std::string status_code;  // "5.1.1" or ""
  std::string diagnostic;   // at most 1000 bytes are kept
  // Equal keys are one outcome: one per message sent and kind when the
  // message is known (outcome_key_for_message), else "<source>:<event id>".
  std::string dedupe_key;
};

struct RecordedOutcome {
  bool recorded = false;    // false: this outcome was already recorded (nothing changed)
  bool suppressed = false;  // the address is suppressed by this outcome
};
// In one transaction: the outcome, then the suppression it causes.
RecordedOutcome record_outcome(sql::Connection& connection, const NewOutcome& outcome, const SuppressionRules& rules);

// The message an outcome is about: its job, the address it went to and the
// invitation it carried (0: none yet).
struct OutboxMessage {
  std::uint64_t outbox_id = 0;
  std::uint64_t job_id = 0;
  std::string email;
  std::uint64_t invite_id = 0;
};
// "outbox:<id>:<kind>:invite:<invite id>". Each sending of an outbox row (a
// Retry failed sends it again) carries a new invitation, so a bounce of the
// new sending is a new outcome, and suppresses the address again after staff
// lifted it; a report of the same sending told twice is one outcome.
std::string outcome_key_for_message(const OutboxMessage& message, const std::string& kind);
std::optional<OutboxMessage> outbox_message(sql::Connection& connection, std::uint64_t outbox_id);
// The last message sent to an address (for provider events that name the
// address but not our message).
std::optional<OutboxMessage> last_message_to(sql::Connection& connection, const std::string& email);

// A job's outcomes: distinct messages per kind.
struct JobOutcomeCounts {
  std::uint64_t hard_bounced = 0;
  std::uint64_t soft_bounced = 0;
  std::uint64_t complained = 0;
  std::uint64_t rejected_at_smtp = 0;  // hard bounces the SMTP server gave synchronously (not 'sent' rows)
};
JobOutcomeCounts job_outcome_counts(sql::Connection& connection, std::uint64_t job_id);

// Marks a signed webhook message as processed; false when it already was (a replay).
bool first_webhook_receipt(sql::Connection& connection, const std::string& provider, const std::string& message_id);

// The secret of VERP tokens, made on first use (32 random bytes), the same for every server.
std::string verp_secret(sql::Connection& connection);

}  // namespace invites::repository
