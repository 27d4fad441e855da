#pragma once
// Text fields over std::string state: the panel passes the state's value and
// gets the edited text back only when the user changed it (then it calls the
// action); the buffer grows as needed, so long template bodies fit.
//
// Each field is also a real input element of the page's DOM layer while it is
// on screen (panels/a11y, web/a11y_layer.js): typing, paste, IME, autofill and
// on-screen keyboards edit that element, and its text and selection come back
// here; ImGui draws the field, caret and selection.

#include "semantics/node.hpp"

#include <string>

struct ImVec2;

namespace invites::panels {

// One line. Returns true and sets `edited` when the user changed the text.
// `kind` gives the page's input element its type (password, email, search)
// and autocomplete; its accessible name is the form row's label, else `hint`.
bool text_field(const char* id, const std::string& value, std::string& edited, float width, const char* hint = nullptr,
                int flags = 0, semantics::InputKind kind = semantics::InputKind::text);

// Several lines (`size` in px; width <= 0 fills the row).
bool text_area(const char* id, const std::string& value, std::string& edited, const ImVec2& size, int flags = 0);

// Read-only text in a scrollable, selectable (copyable) box.
void text_view(const char* id, const std::string& text, const ImVec2& size);

// Enter was pressed in the last text field drawn (it submits its form).
bool field_submitted();

}  // namespace invites::panels
