#include "platform/clipboard.hpp"

#include <emscripten.h>
#include <imgui.h>

namespace {

// clang-format off
EM_JS(void, js_write_clipboard, (const char* text_c), {
  var text = UTF8ToString(text_c);
  var fallback = function() {
    var focused = document.activeElement;
    var area = document.createElement('textarea');
    area.value = text;
    area.readOnly = true;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (ignored) {}
    area.remove();
    if (focused && focused.focus) focused.focus({preventScroll: true});
  };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(fallback);
  else fallback();
});
// clang-format on

void set_clipboard_text(void*, const char* text) { js_write_clipboard(text); }

}  // namespace

namespace invites::platform {

void write_clipboard(const std::string& text) { js_write_clipboard(text.c_str()); }

void install_clipboard() { ImGui::GetIO().SetClipboardTextFn = set_clipboard_text; }

}  // namespace invites::platform
