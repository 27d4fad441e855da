#include "invites/percent_encoding.hpp"

namespace invites {

std::string percent_encode(std::string_view text) {
  static constexpr char hex_digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    const bool unreserved = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                            ch == '-' || ch == '.' || ch == '_' || ch == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += hex_digits[byte >> 4];
      out += hex_digits[byte & 15];
    }
  }
  return out;
}

}  // namespace invites
