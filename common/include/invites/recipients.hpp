#pragma once
// Recipient grouping, counts and the digest: docs/design.md §2.4–§2.6.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace invites {

enum class PortalStatus : std::uint8_t { none = 0, invited = 1, active = 2, disabled = 3 };
std::string_view portal_status_name(PortalStatus status);
std::optional<PortalStatus> parse_portal_status(std::string_view name);  // "invited", "active", "disabled"

// Order matters: it is the sort order of the digest and of result lists.
// skipped_suppressed (docs/design.md §11): "skipped: bounced or complained", addresses
// that a hard bounce, a complaint or repeated soft bounces suppressed.
enum class Group : std::uint8_t { new_users = 0, pending_invites = 1, excluded_existing = 2, skipped_suppressed = 3 };
inline constexpr std::array<Group, 4> all_groups{Group::new_users, Group::pending_invites, Group::excluded_existing,
                                                 Group::skipped_suppressed};
std::string_view group_name(Group group) noexcept;
std::optional<Group> parse_group(std::string_view name);
// An address with an active or disabled portal user is excluded whether or
// not it is suppressed (it would not be mailed either way); otherwise a
// suppressed address is skipped, and the others are grouped by invitation.
constexpr Group group_for(PortalStatus status, bool suppressed) noexcept {
  switch (status) {
    case PortalStatus::none:
      return suppressed ? Group::skipped_suppressed : Group::new_users;
    case PortalStatus::invited:
      return suppressed ? Group::skipped_suppressed : Group::pending_invites;
    case PortalStatus::active:
    case PortalStatus::disabled:
      return Group::excluded_existing;
  }
  return Group::excluded_existing;
}
// Groups that are mailed (and covered by the digest).
constexpr bool is_mailed(Group group) noexcept { return group == Group::new_users || group == Group::pending_invites; }

// The counts of a Load (docs/design.md §5 "counts"), each with the list behind it
// (the `group` of a recipient page), in the API's order. A new count is a
// new enumerator with its name here and its member of Counts.
enum class CountGroup : std::uint8_t {
  new_users,
  pending_invites,
  skipped_invalid_email,
  excluded_existing,
  skipped_suppressed
};
inline constexpr std::array<CountGroup, 5> all_count_groups{
    CountGroup::new_users, CountGroup::pending_invites, CountGroup::skipped_invalid_email,
    CountGroup::excluded_existing, CountGroup::skipped_suppressed};
std::string_view count_group_name(CountGroup group) noexcept;
std::optional<CountGroup> parse_count_group(std::string_view name);
// The count that lists each recipients' group, indexed by Group.
inline constexpr std::array<CountGroup, all_groups.size()> count_groups_by_group{
    CountGroup::new_users, CountGroup::pending_invites, CountGroup::excluded_existing, CountGroup::skipped_suppressed};
constexpr CountGroup count_group_of(Group group) noexcept {
  return count_groups_by_group[static_cast<std::size_t>(group)];
}
// The recipients' group a count lists; nullopt for lists of contacts (skipped
// for their address), which are no recipients.
constexpr std::optional<Group> recipient_group_of(CountGroup group) noexcept {
  for (const Group recipients : all_groups)
    if (count_group_of(recipients) == group) return recipients;
  return std::nullopt;
}
constexpr bool is_mailed(CountGroup group) noexcept {
  const auto recipients = recipient_group_of(group);
  return recipients && is_mailed(*recipients);
}

struct Counts {
  std::uint64_t new_users = 0;
  std::uint64_t pending_invites = 0;
  std::uint64_t skipped_invalid_email = 0;  // candidate contacts, not addresses
  std::uint64_t excluded_existing = 0;      // distinct addresses with an active/disabled portal user
  std::uint64_t skipped_suppressed = 0;     // distinct addresses suppressed by bounces or complaints
  std::uint64_t& of(CountGroup group) noexcept {
    // Indexed by CountGroup.
    static constexpr std::array<std::uint64_t Counts::*, all_count_groups.size()> members{
        &Counts::new_users, &Counts::pending_invites, &Counts::skipped_invalid_email, &Counts::excluded_existing,
        &Counts::skipped_suppressed};
    return this->*members[static_cast<std::size_t>(group)];
  }
  std::uint64_t of(CountGroup group) const noexcept { return const_cast<Counts*>(this)->of(group); }
  std::uint64_t& of(Group group) noexcept { return of(count_group_of(group)); }
  std::uint64_t of(Group group) const noexcept { return of(count_group_of(group)); }
  bool operator==(const Counts&) const = default;
};
// {"new_users": N, "pending_invites": N, ...}: every count by its name.
nlohmann::json counts_to_json(const Counts& counts);
// The same back; ValidationError naming "<path>.<name>" for a missing count
// or one that is not a non-negative integer.
Counts counts_from_json(const nlohmann::json& json, const std::string& path);

// Streams (group, email) pairs, which must arrive sorted by (group, email),
// into the digest: "xxh128:" followed by 32 hex digits. Only mailed groups count.
class DigestBuilder {
 public:
  DigestBuilder();
  ~DigestBuilder();
  DigestBuilder(const DigestBuilder&) = delete;
  DigestBuilder& operator=(const DigestBuilder&) = delete;
  // noexcept keeps the per-recipient call cheap in WebAssembly, where a call
  // that may throw goes through a JavaScript trampoline.
  void add(Group group, std::string_view email) noexcept;
  // Lines exactly as add() forms them ("<group name>\t<email>\n", mailed
  // groups only, in order), pre-formatted by a bulk caller: one call per
  // buffer instead of one per recipient.
  void add_lines(std::string_view lines) noexcept;
  std::string finish();

 private:
  struct State;
  State* state_;
};

// One recipient: a distinct normalized address and its representative contact.
struct RecipientRow {
  Group group;
  std::string email;
  std::uint32_t contact_id;
  bool operator==(const RecipientRow&) const = default;
};

// A finished result in a portable form (the SQL path's output, and what the
// equivalence test compares): rows sorted by (group, email), counts, digest.
struct RecipientList {
  Counts counts;
  std::vector<RecipientRow> rows;
  std::string digest;
};
// Sorts rows, counts them per group and computes the digest. Rows must hold
// distinct emails.
RecipientList finish_recipient_list(std::vector<RecipientRow> rows, std::uint64_t skipped_invalid_email);

// The reference implementation of docs/design.md §2.2–§2.6 over plain candidate rows:
// normalize, skip invalid, dedupe with the lowest contact id, group by portal status.
struct CandidateContact {
  std::uint32_t contact_id;
  std::optional<std::string> email;  // raw as typed; nullopt is SQL NULL
};
// What decides an address's group besides the filter: its portal user and
// whether it is suppressed.
struct AddressStanding {
  PortalStatus status = PortalStatus::none;
  bool suppressed = false;
};
using PortalLookup = std::function<AddressStanding(std::string_view normalized_email)>;
RecipientList group_candidates(const std::vector<CandidateContact>& candidates, const PortalLookup& portal_status_of);

}  // namespace invites
