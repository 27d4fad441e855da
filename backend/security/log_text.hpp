#pragma once
// Text bound for the server log. A user-supplied value with a line break or
// another control character (a username, a path, an address, a mail
// server's reply quoting what it was sent) could otherwise forge whole log
// lines or hide part of one on a terminal.
#include <string>
#include <string_view>

namespace invites::security {

// `text` with each control character (bytes 0x00-0x1f and 0x7f) written as
// \xNN; every other byte, UTF-8 included, unchanged.
std::string escape_control_characters(std::string_view text);

}  // namespace invites::security
