#pragma once
// The change list of a frame as the page's DOM layer reads it (JSON, parsed
// by web/a11y_layer.js). Only what changed is written:
//
//   {"u":[{"k":KEY, "p":PARENT, "r":"button", "n":"Load", "v":"", "s":STATES,
//          "i":"email", "o":"ascending", "l":LEVEL, "b":[x,y,w,h] (quarter px),
//          "rel":[labelled_by, described_by, controls, opener],
//          "fig":[row_count, row_index, col_count, value_now, value_max]}, ...],
//    "d":[removed keys], "c":[[parent, [children in order]], ...],
//    "f":KEY (focus), "a":[[0 polite | 1 assertive, "text"], ...]}
//
// Members of "u" entries other than "k" are present only when that field changed.

#include "semantics/tree.hpp"

#include <string>
#include <string_view>

namespace invites::semantics {

// Appends `changes` (of `tree`'s last frame) as JSON to `out`.
void write_change_list(const Tree& tree, const Changes& changes, std::string& out);

// The names web/a11y_layer.js knows the enumerations by.
const char* role_name(Role role);
const char* input_name(InputKind input);
const char* sort_name(Sort sort);

// Appends `text` as a JSON string literal (quotes, backslashes and control
// characters escaped; other bytes, UTF-8 included, as they are).
void append_json_string(std::string& out, std::string_view text);

}  // namespace invites::semantics
