#pragma once
// Caret and selection positions: the page's input elements count UTF-16 code
// units, ImGui's text fields count UTF-8 bytes.

#include <cstddef>
#include <string_view>

namespace invites::semantics {

// The byte offset in `utf8` of UTF-16 position `utf16_index` (clamped to the end;
// a position inside a surrogate pair or a broken sequence moves to the next character).
std::size_t utf8_offset(std::string_view utf8, std::size_t utf16_index);

// The UTF-16 position of byte offset `byte_offset` (clamped to the end).
std::size_t utf16_offset(std::string_view utf8, std::size_t byte_offset);

}  // namespace invites::semantics
