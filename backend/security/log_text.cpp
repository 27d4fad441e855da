#include "security/log_text.hpp"

namespace invites::security {

std::size_t control_character_length(std::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  if (byte(0) < 0x20 || byte(0) == 0x7f) return 1;
  if (text.size() >= 2 && byte(0) == 0xc2 && byte(1) >= 0x80 && byte(1) <= 0x9f) return 2;
  if (text.size() >= 3 && byte(0) == 0xe2 && byte(1) == 0x80 && (byte(2) == 0xa8 || byte(2) == 0xa9)) return 3;
  return 0;
}

std::string escape_control_characters(std::string_view text) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t control = control_character_length(text.substr(at));
    if (control == 0) {
      escaped += text[at++];
      continue;
    }
    for (const auto end = at + control; at < end; ++at) {
      const auto byte = static_cast<unsigned char>(text[at]);
      escaped += "\\x";
      escaped += hex_digits[byte >> 4];
      escaped += hex_digits[byte & 0xf];
    }
  }
  return escaped;
}

}  // namespace invites::security
