#include "invites/percent_encoding.hpp"

namespace invites {
namespace {

bool is_unreserved(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
         ch == '_' || ch == '~';
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char hex_digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    if (is_unreserved(ch)) {
      out += ch;
      continue;
    }
    const auto byte = static_cast<unsigned char>(ch);
    out += {'%', hex_digits[byte >> 4], hex_digits[byte & 15]};
  }
  return out;
}

}  // namespace invites
