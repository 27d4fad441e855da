#include "invites/email.hpp"

#include <array>
#include <cstdint>

namespace invites {
namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

void append_normalized_email(std::string_view raw, std::string& out) {
  while (!raw.empty() && is_ascii_space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_ascii_space(raw.back())) raw.remove_suffix(1);
  for (char c : raw) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
}

std::string normalize_email(std::string_view raw) {
  std::string normalized;
  normalized.reserve(raw.size());
  append_normalized_email(raw, normalized);
  return normalized;
}

namespace {

// One pass over the address with a character-class table (decode checks ~2M
// addresses at 2M contacts, so this is on the offline path's critical time).
enum : std::uint8_t { cls_lower = 1, cls_digit = 2, cls_hyphen = 4, cls_dot = 8, cls_at = 16, cls_symbol = 32 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = cls_lower;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = cls_digit;
  t['-'] = cls_hyphen;
  t['.'] = cls_dot;
  t['@'] = cls_at;
  for (char c : std::string_view("!#$%&'*+/=?^_`{|}~")) t[static_cast<unsigned char>(c)] = cls_symbol;
  return t;
}
constexpr std::array<std::uint8_t, 256> char_class = make_classes();

// Addresses shorter than every length limit (the usual case) are checked by
// a DFA: one table step per character, no length bookkeeping. Character
// classes of the DFA:
enum : std::uint8_t { k_other, k_lower, k_digit, k_hyphen, k_dot, k_at, k_symbol, k_classes };
// States: in the local part; then per domain label (before / after the
// domain's first dot): at its start, all letters (1 / 2+), other, ending in '-'.
enum : std::uint8_t {
  s_reject,
  s_start,
  s_local,
  s_local_dot,
  s_label0,
  s_alpha1_0,
  s_alpha2_0,
  s_mixed0,
  s_hyphen0,
  s_label1,
  s_alpha1_1,
  s_alpha2_1,
  s_mixed1,
  s_hyphen1,
  s_states
};
constexpr std::size_t dfa_max_length = 63;  // below 64 (local part) and 63 (label): limits cannot bite
static_assert(dfa_max_length <= max_local_part_length && dfa_max_length <= max_domain_label_length);

constexpr std::array<std::uint8_t, 256> make_dfa_classes() {
  std::array<std::uint8_t, 256> t{};
  for (std::size_t c = 0; c < 256; ++c) {
    const std::uint8_t k = char_class[c];
    t[c] = k & cls_lower    ? k_lower
           : k & cls_digit  ? k_digit
           : k & cls_hyphen ? k_hyphen
           : k & cls_dot    ? k_dot
           : k & cls_at     ? k_at
           : k & cls_symbol ? k_symbol
                            : k_other;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> dfa_class = make_dfa_classes();

constexpr std::array<std::array<std::uint8_t, k_classes>, s_states> make_dfa() {
  std::array<std::array<std::uint8_t, k_classes>, s_states> t{};  // all s_reject
  for (std::uint8_t from : {s_start, s_local, s_local_dot}) {
    for (std::uint8_t k : {k_lower, k_digit, k_hyphen, k_symbol}) t[from][k] = s_local;
  }
  t[s_local][k_dot] = s_local_dot;  // not at the start, never ".."
  t[s_local][k_at] = s_label0;      // a local part that does not end with '.'
  for (int dotted = 0; dotted < 2; ++dotted) {
    const std::uint8_t label = dotted ? s_label1 : s_label0, alpha1 = dotted ? s_alpha1_1 : s_alpha1_0,
                       alpha2 = dotted ? s_alpha2_1 : s_alpha2_0, mixed = dotted ? s_mixed1 : s_mixed0,
                       hyphen = dotted ? s_hyphen1 : s_hyphen0;
    t[label][k_lower] = alpha1;
    t[label][k_digit] = mixed;  // a label never starts with '-' and is never empty
    for (std::uint8_t from : {alpha1, alpha2, mixed, hyphen}) {
      t[from][k_lower] = from == alpha1 || from == alpha2 ? alpha2 : mixed;
      t[from][k_digit] = mixed;
      t[from][k_hyphen] = hyphen;
      t[from][k_dot] = from == hyphen ? s_reject : s_label1;  // never ends with '-'
    }
  }
  return t;
}
constexpr auto dfa = make_dfa();

}  // namespace

bool is_valid_email(std::string_view s) noexcept {
  const std::size_t n = s.size();
  if (n == 0 || n > max_email_length) return false;
  if (n <= dfa_max_length) {
    std::uint8_t state = s_start;
    for (const char ch : s) state = dfa[state][dfa_class[static_cast<unsigned char>(ch)]];
    return state == s_alpha2_1;  // 2+ labels, the last of 2+ letters
  }
  const auto cls = [&](std::size_t i) { return char_class[static_cast<unsigned char>(s[i])]; };
  // Local part: up to the first '@'.
  std::size_t i = 0;
  std::uint8_t previous = 0;
  for (; i < n; ++i) {
    const std::uint8_t c = cls(i);
    if (c & cls_at) break;
    if (c == 0) return false;                                             // not an allowed character
    if ((c & cls_dot) && (i == 0 || (previous & cls_dot))) return false;  // leading '.' or ".."
    previous = c;
  }
  if (i == n || i == 0 || i > max_local_part_length || (previous & cls_dot)) return false;
  // Domain: labels of [a-z0-9-] between dots; a second '@' is not allowed there.
  std::size_t labels = 0, label_start = i + 1;
  bool label_alpha = true;
  for (std::size_t j = i + 1;; ++j) {
    if (j == n || s[j] == '.') {
      const std::size_t length = j - label_start;
      if (length == 0 || length > max_domain_label_length || s[label_start] == '-' || s[j - 1] == '-') return false;
      ++labels;
      if (j == n) return labels >= 2 && length >= 2 && label_alpha;  // the last label: 2+ letters
      label_start = j + 1;
      label_alpha = true;
      continue;
    }
    const std::uint8_t c = cls(j);
    if (!(c & (cls_lower | cls_digit | cls_hyphen))) return false;
    label_alpha = label_alpha && (c & cls_lower);
  }
}

}  // namespace invites
