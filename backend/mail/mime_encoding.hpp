#pragma once
// The encodings build_message needs: quoted-printable bodies (RFC 2045 §6.7)
// and header fields with RFC 2047 encoded-words, folded (RFC 5322 §2.2.3).
#include <string>
#include <string_view>

namespace invites::mail {

// Quoted-printable with CRLF line ends: any input line end (CRLF, LF or a
// lone CR) becomes a hard CRLF; '=', control and non-ASCII bytes and a
// space or tab before a line end are =XX; lines are at most 76 characters
// (soft breaks "=" CRLF). The output never contains "=_".
std::string quoted_printable(std::string_view text);

// True when `text` can go into a header as it is: printable ASCII and
// spaces only, no "=?" (which a reader would try to decode), and no word
// longer than 70 characters (so it can be folded).
bool is_plain_header_text(std::string_view text);

// RFC 2047 "B" encoded-words of UTF-8 text, each at most 64 characters
// long and split only between whole UTF-8 characters, joined by CRLF SP
// (a fold; the space between encoded-words is not part of the text).
std::string encoded_words(std::string_view utf8);

// "Name: value" + CRLF, with plain text folded before spaces so lines stay
// within 78 characters where the words allow; other text as encoded-words.
std::string unstructured_header(std::string_view name, std::string_view value);

// A display name as a phrase: as it is when it is made of atoms, a quoted
// string when it has specials, encoded-words when it is not plain ASCII.
std::string display_name_phrase(std::string_view name);

// Text from outside (a bounce's diagnostic) made safe to store and show:
// valid UTF-8 kept, other bytes '?', control characters ' ', and cut to at
// most max_bytes between whole characters.
std::string printable_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace invites::mail
