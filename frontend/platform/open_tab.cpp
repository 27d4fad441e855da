#include "platform/open_tab.hpp"

#include <emscripten.h>

namespace {

// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_open_html_tab, (const char* html, int length), {
  // A blob: document shares the app's origin: forbid scripts, forms and
  // plugins in it (a <meta> CSP ahead of the document lands in its head).
  const q = String.fromCharCode(39);  // an apostrophe (a backslash escape would break EM_JS metadata)
  const csp = '<meta http-equiv="Content-Security-Policy" content="default-src ' + q + 'none' + q +
              '; img-src * data:; style-src ' + q + 'unsafe-inline' + q + '; font-src * data:">';
  const text = UTF8ToString(html, length);
  const url = URL.createObjectURL(new Blob([csp, text], { type: 'text/html;charset=utf-8' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(function() { URL.revokeObjectURL(url); }, 60000);  // the tab has loaded it by then
});
// clang-format on

}  // namespace

namespace invites::platform {

void open_html_tab(const std::string& html) { js_open_html_tab(html.c_str(), static_cast<int>(html.size())); }

}  // namespace invites::platform
