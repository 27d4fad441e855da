#pragma once
// Email normalization and validity: docs/design.md §2.2 and §2.3, the single definition
// shared by the SQL generator, the snapshot evaluator and the browser.
#include <string>
#include <string_view>

namespace invites {

// Leading/trailing ASCII whitespace (space, \t, \r, \n) removed, then ASCII
// lower-cased. Non-ASCII bytes are kept as they are (they make it invalid).
std::string normalize_email(std::string_view raw);
// The same, appended to `out` (no allocation of its own).
void append_normalized_email(std::string_view raw, std::string& out);

// The exact validity rule of docs/design.md §2.3, applied to an already normalized address.
bool is_valid_email(std::string_view normalized) noexcept;

// Limits of the rule, also used by the SQL text so both paths agree.
inline constexpr std::size_t max_email_length = 254;
inline constexpr std::size_t max_local_part_length = 64;
inline constexpr std::size_t max_domain_label_length = 63;

}  // namespace invites
