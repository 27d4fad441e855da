#pragma once
// Text fields over std::string state: the panel passes the state's value and
// gets the edited text back only when the user changed it (then it calls the
// action); the buffer grows as needed, so long template bodies fit.

#include <string>

struct ImVec2;

namespace invites::panels {

// One line. Returns true and sets `edited` when the user changed the text.
bool text_field(const char* id, const std::string& value, std::string& edited, float width, const char* hint = nullptr,
                int flags = 0);

// Several lines (`size` in px; width <= 0 fills the row).
bool text_area(const char* id, const std::string& value, std::string& edited, const ImVec2& size, int flags = 0);

// Read-only text in a scrollable, selectable (copyable) box.
void text_view(const char* id, const std::string& text, const ImVec2& size);

}  // namespace invites::panels
