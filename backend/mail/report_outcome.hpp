#pragma once
// What a report means for the address an invitation went to: a hard bounce,
// a soft bounce or a complaint (or nothing: auto-replies, delays, successes),
// and which outbox row (message) it is about.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mail/inbound_report.hpp"
#include "mail/verp.hpp"

namespace invites::mail {

enum class OutcomeKind : std::uint8_t { hard_bounce, soft_bounce, complaint };
std::string_view outcome_kind_name(OutcomeKind kind);  // "hard_bounce", "soft_bounce", "complaint"
std::optional<OutcomeKind> parse_outcome_kind(std::string_view name);

struct ReportedOutcome {
  OutcomeKind kind = OutcomeKind::hard_bounce;
  std::string address;     // the address the report names ("" when it names none)
  std::string status;      // "5.1.1" for bounces, "" for complaints
  std::string diagnostic;  // the reporting server's words, at most diagnostic_limit bytes
};
inline constexpr std::size_t diagnostic_limit = 1000;

// Invitations have one recipient each, so a delivery report's verdict is its
// worst failed recipient (hard before soft). nullopt when the report
// reports no failure and no complaint.
std::optional<ReportedOutcome> reported_outcome(const InboundReport& report);

// The outbox row whose VERP address received the report, or whose address
// or Message-ID the returned original shows; nullopt when none of them was
// made with `verp`'s key (a report about mail this server did not send, or
// a forged one).
std::optional<std::uint64_t> attributed_outbox(const InboundReport& report, const VerpCodec& verp);

}  // namespace invites::mail
