#pragma once
// Text bound for the server log. A user-supplied value with a line break or
// another control character (a username, a path, an address, a mail
// server's reply quoting what it was sent) could otherwise forge whole log
// lines or hide part of one on a terminal. Besides the ASCII ones, some log
// viewers break lines at NEL (U+0085, a C1 control) and at U+2028/U+2029.
#include <cstddef>
#include <string>
#include <string_view>

namespace invites::security {

// The byte length of the control character `text` starts with: 1 for the
// bytes 0x00-0x1f and 0x7f, 2 for a C1 control (U+0080-U+009F in UTF-8),
// 3 for the line and paragraph separators U+2028 and U+2029; 0 when it
// starts with anything else (or is empty).
std::size_t control_character_length(std::string_view text);

// `text` with each byte of each control character (above) written as \xNN;
// every other byte, UTF-8 included, unchanged.
std::string escape_control_characters(std::string_view text);

}  // namespace invites::security
