#pragma once
// A readable plain-text rendering of an HTML body, for the text/plain part of
// an invitation whose template has no text alternative of its own.
#include <string>
#include <string_view>

namespace invites {

// Tags removed (script/style/head content dropped), the basic entities and
// numeric references decoded, whitespace collapsed as a browser would;
// paragraphs, headings, list items, table rows, <br> and <hr> become line
// breaks, list items get "- ", and <a href="u">text</a> becomes "text (u)"
// (just "u" when the text is the URL). No trailing spaces, at most one empty
// line in a row, "\n" line ends.
std::string html_to_text(std::string_view html);

}  // namespace invites
