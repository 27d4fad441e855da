#include "security/log_text.hpp"

namespace invites::security {

std::string escape_control_characters(std::string_view text) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      escaped += "\\x";
      escaped += hex_digits[byte >> 4];
      escaped += hex_digits[byte & 0xf];
    } else {
      escaped += c;
    }
  }
  return escaped;
}

}  // namespace invites::security
