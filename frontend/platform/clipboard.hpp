#pragma once
// Writing to the system clipboard (navigator.clipboard; the older
// execCommand('copy') where it is not available). Used for ImGui's own copy
// (merge fields in Setup) and for copying rows and addresses out of tables.
// Pasting needs nothing here: text fields are real input elements while
// focused (web/a11y_layer.js), so the browser pastes into them itself.

#include <string>

namespace invites::platform {

void write_clipboard(const std::string& text);

// Makes ImGui::SetClipboardText() write to the system clipboard.
void install_clipboard();

}  // namespace invites::platform
