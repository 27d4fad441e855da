#include "semantics/text_offsets.hpp"

namespace invites::semantics {
namespace {

// Length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::size_t utf8_offset(std::string_view utf8, std::size_t utf16_index) {
  std::size_t bytes = 0;
  std::size_t units = 0;
  while (bytes < utf8.size() && units < utf16_index) {
    const std::size_t length = sequence_length(static_cast<unsigned char>(utf8[bytes]));
    units += length == 4 ? 2 : 1;  // characters beyond U+FFFF are a surrogate pair
    bytes += length;
  }
  return bytes < utf8.size() ? bytes : utf8.size();
}

std::size_t utf16_offset(std::string_view utf8, std::size_t byte_offset) {
  std::size_t bytes = 0;
  std::size_t units = 0;
  while (bytes < utf8.size() && bytes < byte_offset) {
    const std::size_t length = sequence_length(static_cast<unsigned char>(utf8[bytes]));
    units += length == 4 ? 2 : 1;
    bytes += length;
  }
  return units;
}

}  // namespace invites::semantics
