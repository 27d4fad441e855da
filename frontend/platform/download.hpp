#pragma once
// Downloads: opens a same-origin URL (e.g. a CSV export) through a temporary
// <a download> element, so the browser saves the file with the session cookie
// and the page stays where it is.

#include <string>

namespace invites::platform {

void open_download(const std::string& url);

}  // namespace invites::platform
