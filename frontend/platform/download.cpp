#include "platform/download.hpp"

#include <emscripten.h>

namespace {

// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_open_download, (const char* url), {
  const a = document.createElement("a");
  a.href = UTF8ToString(url);
  a.download = "";
  a.rel = "noopener";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // A test hook (frontend/README.md): the URL as the browser resolved it, known only here.
  if (window['invitesApp']) window['invitesApp']['lastDownload'] = a.href;
});
// clang-format on

}  // namespace

namespace invites::platform {

void open_download(const std::string& url) { js_open_download(url.c_str()); }

}  // namespace invites::platform
