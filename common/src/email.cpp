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

}  // namespace

bool is_valid_email(std::string_view s) noexcept {
  const std::size_t n = s.size();
  if (n == 0 || n > max_email_length) return false;
  const auto cls = [&](std::size_t i) { return char_class[static_cast<unsigned char>(s[i])]; };
  // Local part: up to the first '@'.
  std::size_t i = 0;
  std::uint8_t previous = 0;
  for (; i < n; ++i) {
    const std::uint8_t c = cls(i);
    if (c & cls_at) break;
    if (c == 0) return false;                                              // not an allowed character
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
