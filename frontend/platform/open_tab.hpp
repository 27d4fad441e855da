#pragma once
// Opens an HTML document (a rendered email) in a new browser tab through a
// blob: URL. The document gets a Content-Security-Policy that allows no
// scripts, and the tab no reference back to the app (noopener).

#include <string>

namespace invites::platform {

void open_html_tab(const std::string& html);

}  // namespace invites::platform
