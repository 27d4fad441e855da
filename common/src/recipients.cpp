#include "invites/recipients.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

#define XXH_INLINE_ALL
#include <xxhash.h>
#include <nlohmann/json.hpp>

#include "invites/enum_names.hpp"
#include "invites/email.hpp"
#include "invites/error.hpp"

namespace invites {
namespace {

// Indexed by the enumerators' values.
constexpr std::array<std::string_view, 4> portal_status_names{"none", "invited", "active", "disabled"};
constexpr std::array<std::string_view, all_groups.size()> group_names{"new_users", "pending_invites",
                                                                      "excluded_existing", "skipped_suppressed"};
constexpr std::array<std::string_view, all_count_groups.size()> count_group_names{
    "new_users", "pending_invites", "skipped_invalid_email", "excluded_existing", "skipped_suppressed"};
static_assert(detail::all_named(group_names) && detail::all_named(count_group_names));

}  // namespace

std::string_view portal_status_name(PortalStatus status) { return detail::name_in(portal_status_names, status); }

std::optional<PortalStatus> parse_portal_status(std::string_view name) {
  // "none" names no stored status: a portal user row is invited, active or disabled.
  const auto status = detail::find_name<PortalStatus>(portal_status_names, name);
  if (status == PortalStatus::none) return std::nullopt;
  return status;
}

std::string_view group_name(Group group) noexcept { return detail::name_in(group_names, group); }

std::optional<Group> parse_group(std::string_view name) { return detail::find_name<Group>(group_names, name); }

std::string_view count_group_name(CountGroup group) noexcept { return detail::name_in(count_group_names, group); }

std::optional<CountGroup> parse_count_group(std::string_view name) {
  return detail::find_name<CountGroup>(count_group_names, name);
}

nlohmann::json counts_to_json(const Counts& counts) {
  auto json = nlohmann::json::object();
  for (const CountGroup group : all_count_groups) json[std::string(count_group_name(group))] = counts.of(group);
  return json;
}

Counts counts_from_json(const nlohmann::json& json, const std::string& path) {
  if (!json.is_object()) throw ValidationError(path, "must be an object of counts");
  Counts counts;
  for (const CountGroup group : all_count_groups) {
    const std::string name(count_group_name(group));
    const auto found = json.find(name);
    if (found == json.end()) throw ValidationError(path + "." + name, "missing");
    const bool count = found->is_number_unsigned() || (found->is_number_integer() && found->get<std::int64_t>() >= 0);
    if (!count) throw ValidationError(path + "." + name, "must be a non-negative integer");
    counts.of(group) = found->get<std::uint64_t>();
  }
  return counts;
}

// Lines are gathered in a buffer and hashed in large blocks: one hash call
// per recipient would cost more than the evaluation itself.
struct DigestBuilder::State {
  XXH3_state_t hash;
  std::size_t used = 0;
  char buffer[1 << 16];

  void append(std::string_view bytes) noexcept {
    while (!bytes.empty()) {
      if (used == sizeof buffer) flush();
      std::size_t n = std::min(bytes.size(), sizeof buffer - used);
      std::memcpy(buffer + used, bytes.data(), n);
      used += n;
      bytes.remove_prefix(n);
    }
  }
  void flush() noexcept {
    XXH3_128bits_update(&hash, buffer, used);
    used = 0;
  }
};

DigestBuilder::DigestBuilder() : state_(new State) { XXH3_128bits_reset(&state_->hash); }
DigestBuilder::~DigestBuilder() { delete state_; }

void DigestBuilder::add(Group group, std::string_view email) noexcept {
  if (!is_mailed(group)) return;
  // One line per recipient, "<group>\t<email>\n": unambiguous because a valid
  // address holds neither tab nor newline.
  const std::string_view name = group_name(group);
  State& st = *state_;
  if (name.size() + email.size() + 2 <= sizeof st.buffer - st.used) {  // the usual case: room for the whole line
    std::memcpy(st.buffer + st.used, name.data(), name.size());
    st.used += name.size();
    st.buffer[st.used++] = '\t';
    std::memcpy(st.buffer + st.used, email.data(), email.size());
    st.used += email.size();
    st.buffer[st.used++] = '\n';
    return;
  }
  st.append(name);
  st.append("\t");
  st.append(email);
  st.append("\n");
}

// Large blocks go straight to the hash (the result does not depend on how
// the input is split): copying them into the buffer first would cost as
// much as hashing them.
void DigestBuilder::add_lines(std::string_view lines) noexcept {
  State& st = *state_;
  if (lines.size() < sizeof st.buffer / 2) {
    st.append(lines);
    return;
  }
  st.flush();
  XXH3_128bits_update(&st.hash, lines.data(), lines.size());
}

std::string DigestBuilder::finish() {
  state_->flush();
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(&state_->hash));
  static constexpr char hex[] = "0123456789abcdef";
  std::string digest = "xxh128:";
  for (unsigned char byte : canonical.digest) {
    digest.push_back(hex[byte >> 4]);
    digest.push_back(hex[byte & 15]);
  }
  return digest;
}

RecipientList finish_recipient_list(std::vector<RecipientRow> rows, std::uint64_t skipped_invalid_email) {
  std::sort(rows.begin(), rows.end(), [](const RecipientRow& a, const RecipientRow& b) {
    return a.group != b.group ? a.group < b.group : a.email < b.email;
  });
  RecipientList list;
  list.counts.skipped_invalid_email = skipped_invalid_email;
  DigestBuilder digest;
  for (const RecipientRow& row : rows) {
    ++list.counts.of(row.group);
    digest.add(row.group, row.email);
  }
  list.digest = digest.finish();
  list.rows = std::move(rows);
  return list;
}

RecipientList group_candidates(const std::vector<CandidateContact>& candidates, const PortalLookup& portal_status_of) {
  std::map<std::string, std::uint32_t> representative;  // normalized email -> lowest contact id
  std::uint64_t skipped = 0;
  for (const CandidateContact& candidate : candidates) {
    std::string email = candidate.email ? normalize_email(*candidate.email) : std::string();
    if (!candidate.email || !is_valid_email(email)) {
      ++skipped;
      continue;
    }
    auto [it, inserted] = representative.emplace(std::move(email), candidate.contact_id);
    if (!inserted) it->second = std::min(it->second, candidate.contact_id);
  }
  std::vector<RecipientRow> rows;
  rows.reserve(representative.size());
  for (auto& [email, contact_id] : representative) {
    const AddressStanding standing = portal_status_of(email);
    rows.push_back({group_for(standing.status, standing.suppressed), email, contact_id});
  }
  return finish_recipient_list(std::move(rows), skipped);
}

}  // namespace invites
