#include "platform/cursor.hpp"

#include <emscripten.h>
#include <imgui.h>

// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_set_cursor, (const char* selector, const char* css_cursor), {
  var canvas = document.querySelector(UTF8ToString(selector));
  if (canvas) canvas.style.cursor = UTF8ToString(css_cursor);
});
// clang-format on

namespace invites::platform {
namespace {

const char* css_cursor(int imgui_cursor) {
  switch (imgui_cursor) {
    case ImGuiMouseCursor_None:
      return "none";
    case ImGuiMouseCursor_TextInput:
      return "text";
    case ImGuiMouseCursor_ResizeAll:
      return "move";
    case ImGuiMouseCursor_ResizeNS:
      return "ns-resize";
    case ImGuiMouseCursor_ResizeEW:
      return "ew-resize";
    case ImGuiMouseCursor_ResizeNESW:
      return "nesw-resize";
    case ImGuiMouseCursor_ResizeNWSE:
      return "nwse-resize";
    case ImGuiMouseCursor_Hand:
      return "pointer";
    case ImGuiMouseCursor_NotAllowed:
      return "not-allowed";
    default:
      return "default";
  }
}

int shown_cursor = ImGuiMouseCursor_Arrow;

}  // namespace

void apply_cursor(const char* canvas_selector, int imgui_cursor) {
  if (imgui_cursor == shown_cursor) return;
  shown_cursor = imgui_cursor;
  js_set_cursor(canvas_selector, css_cursor(imgui_cursor));
}

}  // namespace invites::platform
