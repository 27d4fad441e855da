#include "platform/a11y_bridge.hpp"

#include "platform/idle_gate.hpp"
#include "semantics/change_list.hpp"

#include <emscripten.h>
#include <imgui.h>

#include <string>

namespace {

invites::semantics::PageRequests* page_requests = nullptr;
std::string edit_text;  // the text of the last edit, written by the page

// The layer's key codes (NAV_KEYS in web/a11y_layer.js).
ImGuiKey imgui_key(int code) {
  switch (code) {
    case 1:
      return ImGuiKey_LeftArrow;
    case 2:
      return ImGuiKey_RightArrow;
    case 3:
      return ImGuiKey_UpArrow;
    case 4:
      return ImGuiKey_DownArrow;
    case 5:
      return ImGuiKey_Home;
    case 6:
      return ImGuiKey_End;
    case 7:
      return ImGuiKey_PageUp;
    case 8:
      return ImGuiKey_PageDown;
    case 9:
      return ImGuiKey_Escape;
    default:
      return ImGuiKey_None;
  }
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void invites_a11y_focus(unsigned key, int by_app) {
  page_requests->focus(key, by_app != 0);
  invites::platform::idle::wake_for_input();
}

EMSCRIPTEN_KEEPALIVE void invites_a11y_activate(unsigned key) {
  page_requests->activate(key);
  invites::platform::idle::wake_for_input();
}

EMSCRIPTEN_KEEPALIVE char* invites_a11y_text_buffer(int size) {
  edit_text.resize(static_cast<std::size_t>(size));
  return edit_text.data();
}

EMSCRIPTEN_KEEPALIVE void invites_a11y_edit(unsigned key, int selection_start, int selection_end) {
  page_requests->edit(key, edit_text, static_cast<std::size_t>(selection_start),
                      static_cast<std::size_t>(selection_end));
  invites::platform::idle::wake_for_input();
}

EMSCRIPTEN_KEEPALIVE void invites_a11y_submit(unsigned key) {
  page_requests->submit(key);
  invites::platform::idle::wake_for_input();
}

EMSCRIPTEN_KEEPALIVE void invites_a11y_copy(unsigned key) {
  page_requests->copy(key);
  invites::platform::idle::wake_for_input();
}

EMSCRIPTEN_KEEPALIVE void invites_a11y_key(int code, int down, int shift, int ctrl, int alt, int meta) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Shift, shift != 0);
  io.AddKeyEvent(ImGuiMod_Ctrl, ctrl != 0);
  io.AddKeyEvent(ImGuiMod_Alt, alt != 0);
  io.AddKeyEvent(ImGuiMod_Super, meta != 0);
  const ImGuiKey key = imgui_key(code);  // None: only a modifier changed
  if (key != ImGuiKey_None) io.AddKeyEvent(key, down != 0);
  invites::platform::idle::wake_for_input();
}

}  // extern "C"

// clang-format off
EM_JS(int, js_a11y_connect, (), {
  if (!window['invitesA11y']) return 0;
  /* GLFW listens to the whole window's keys and cancels Backspace and Tab:
     the layer's input elements and the browser's focus order need them. */
  window.removeEventListener('keydown', GLFW.onKeydown, true);
  window.removeEventListener('keypress', GLFW.onKeyPress, true);
  window.removeEventListener('keyup', GLFW.onKeyup, true);
  window['invitesA11y']['connect']({
    'focus': function(key, byApp) { _invites_a11y_focus(key, byApp ? 1 : 0); },
    'activate': function(key) { _invites_a11y_activate(key); },
    'edit': function(key, text, start, end) {
      var bytes = new TextEncoder().encode(text);
      var ptr = _invites_a11y_text_buffer(bytes.length);
      HEAPU8.set(bytes, ptr);
      _invites_a11y_edit(key, start, end);
    },
    'submit': function(key) { _invites_a11y_submit(key); },
    'copy': function(key) { _invites_a11y_copy(key); },
    'key': function(code, down, shift, ctrl, alt, meta) {
      _invites_a11y_key(code, down ? 1 : 0, shift ? 1 : 0, ctrl ? 1 : 0, alt ? 1 : 0, meta ? 1 : 0);
    },
  });
  return 1;
});

EM_JS(void, js_a11y_apply, (const char* json), {
  window['invitesA11y']['layer']['apply'](UTF8ToString(json));
});
// clang-format on

namespace invites::platform {

bool A11yBridge::install(semantics::PageRequests& requests) {
  page_requests = &requests;
  return js_a11y_connect() != 0;
}

void A11yBridge::publish(const semantics::Tree& tree, const semantics::Changes& changes) {
  if (changes.empty()) return;  // an unchanged frame touches nothing in the page
  json_.clear();
  semantics::write_change_list(tree, changes, json_);
  js_a11y_apply(json_.c_str());
}

}  // namespace invites::platform
