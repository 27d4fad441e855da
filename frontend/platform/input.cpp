#include "platform/input.hpp"

#include "platform/canvas.hpp"
#include "platform/idle_gate.hpp"
#include "platform/wheel.hpp"

#include <GLFW/glfw3.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <cfloat>

namespace invites::platform {
namespace {

const Canvas* input_canvas = nullptr;
int buttons_down = 0;  // bit per DOM button

// DOM buttons: 0 left, 1 middle, 2 right. ImGui: 0 left, 1 right, 2 middle.
int imgui_button(unsigned short dom_button) {
  switch (dom_button) {
    case 0:
      return ImGuiMouseButton_Left;
    case 1:
      return ImGuiMouseButton_Middle;
    case 2:
      return ImGuiMouseButton_Right;
    default:
      return dom_button < ImGuiMouseButton_COUNT ? dom_button : -1;
  }
}

void add_mouse_pos(const EmscriptenMouseEvent* e) {
  const CanvasMetrics& m = input_canvas->metrics();
  ImGui::GetIO().AddMousePosEvent(static_cast<float>(e->clientX - m.css_left),
                                  static_cast<float>(e->clientY - m.css_top));
}

void update_modifiers(const EmscriptenMouseEvent* e) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, e->ctrlKey);
  io.AddKeyEvent(ImGuiMod_Shift, e->shiftKey);
  io.AddKeyEvent(ImGuiMod_Alt, e->altKey);
  io.AddKeyEvent(ImGuiMod_Super, e->metaKey);
}

EM_BOOL on_mouse_move(int, const EmscriptenMouseEvent* e, void*) {
  add_mouse_pos(e);
  idle::wake_for_input();
  return EM_FALSE;
}

EM_BOOL on_mouse_button(int type, const EmscriptenMouseEvent* e, void*) {
  const bool down = type == EMSCRIPTEN_EVENT_MOUSEDOWN;
  const int bit = 1 << (e->button & 15);
  if (!down && !(buttons_down & bit)) return EM_FALSE;  // released a press that started elsewhere
  buttons_down = down ? (buttons_down | bit) : (buttons_down & ~bit);
  const int button = imgui_button(e->button);
  if (button >= 0) {
    update_modifiers(e);
    add_mouse_pos(e);
    ImGui::GetIO().AddMouseButtonEvent(button, down);
  }
  idle::wake_for_input();
  return EM_FALSE;
}

EM_BOOL on_mouse_leave(int, const EmscriptenMouseEvent*, void*) {
  if (buttons_down == 0) ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  idle::wake_for_input();
  return EM_FALSE;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  if (e->mouse.ctrlKey) return EM_FALSE;  // Ctrl+wheel is the browser's zoom: leave it alone

  // ImGui scrolls 5 × font size per vertical wheel unit and 2 × font size
  // per horizontal one; a line of text is font size + item spacing.
  ImGuiIO& io = ImGui::GetIO();
  const ImFont* font = io.FontDefault ? io.FontDefault : (io.Fonts->Fonts.empty() ? nullptr : io.Fonts->Fonts[0]);
  const double font_px = font ? static_cast<double>(font->FontSize) : 16.0;
  const double line_px = font_px + static_cast<double>(ImGui::GetStyle().ItemSpacing.y);
  const double lines_per_page = 0.9 * input_canvas->metrics().css_height / line_px;
  const WheelLines lines = wheel_lines(e->deltaMode, e->deltaX, e->deltaY, lines_per_page);

  add_mouse_pos(&e->mouse);
  io.AddMouseWheelEvent(static_cast<float>(-lines.x * line_px / (2 * font_px)),
                        static_cast<float>(-lines.y * line_px / (5 * font_px)));
  idle::wake_for_input();
  return EM_TRUE;  // the page itself never scrolls
}

EM_BOOL on_focus(int type, const EmscriptenFocusEvent*, void*) {
  ImGui::GetIO().AddFocusEvent(type == EMSCRIPTEN_EVENT_FOCUS);
  if (type == EMSCRIPTEN_EVENT_BLUR) buttons_down = 0;
  idle::wake_for_input();
  return EM_FALSE;
}

// Touch: a tap reaches ImGui as the mouse events the browser makes of it; a
// drag of one finger scrolls what is under it (as wheel steps of the same
// distance), so tables and the page scroll by touch.
struct Drag {
  int id = -1;
  double x = 0, y = 0;
};
Drag touch_drag;

EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
  if (e->numTouches != 1) {
    touch_drag.id = -1;  // pinch and the like are the browser's
    return EM_FALSE;
  }
  const EmscriptenTouchPoint& t = e->touches[0];
  const CanvasMetrics& m = input_canvas->metrics();
  const double x = t.clientX - m.css_left, y = t.clientY - m.css_top;
  if (type == EMSCRIPTEN_EVENT_TOUCHSTART || touch_drag.id != t.identifier) {
    touch_drag = Drag{t.identifier, x, y};
  } else if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
    ImGuiIO& io = ImGui::GetIO();
    const ImFont* font = io.FontDefault ? io.FontDefault : (io.Fonts->Fonts.empty() ? nullptr : io.Fonts->Fonts[0]);
    const double step_px = 5.0 * (font ? static_cast<double>(font->FontSize) : 16.0);  // ImGui: one wheel step
    io.AddMousePosEvent(static_cast<float>(x), static_cast<float>(y));
    io.AddMouseWheelEvent(static_cast<float>((x - touch_drag.x) / step_px),
                          static_cast<float>((y - touch_drag.y) / step_px));
    touch_drag.x = x;
    touch_drag.y = y;
  } else {
    touch_drag.id = -1;
  }
  idle::wake_for_input();
  return EM_FALSE;
}

}  // namespace

void install_input(GLFWwindow* window, const Canvas& canvas) {
  input_canvas = &canvas;
  const char* target = canvas.selector();

  // The GLFW backend registers its own document-wide wheel handler on
  // Emscripten; ours replaces it (normalized steps, Ctrl+wheel left to zoom).
  // The page's text fields over the canvas pass their wheel events on to it
  // (web/a11y_layer.js).
  emscripten_set_wheel_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_FALSE, nullptr);
  emscripten_set_wheel_callback(target, nullptr, EM_FALSE, on_wheel);

  // Moves and releases are followed on the whole document so a drag that
  // leaves the canvas still ends properly.
  emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_FALSE, on_mouse_move);
  emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_FALSE, on_mouse_button);
  emscripten_set_mousedown_callback(target, nullptr, EM_FALSE, on_mouse_button);
  emscripten_set_mouseleave_callback(target, nullptr, EM_FALSE, on_mouse_leave);

  emscripten_set_focus_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_focus);
  emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_focus);

  emscripten_set_touchstart_callback(target, nullptr, EM_FALSE, on_touch);
  emscripten_set_touchmove_callback(target, nullptr, EM_FALSE, on_touch);
  emscripten_set_touchend_callback(target, nullptr, EM_FALSE, on_touch);
  emscripten_set_touchcancel_callback(target, nullptr, EM_FALSE, on_touch);

  // Keys and typed text come through the page's accessibility layer
  // (platform/a11y_bridge, web/a11y_layer.js), not through GLFW.

  // The backend polls glfwGetCursorPos() (backing-store pixels) every frame
  // while it believes the mouse is outside every window. Tell it the mouse is
  // in ours; the real position (CSS pixels) is fed above.
  ImGui_ImplGlfw_CursorEnterCallback(window, GLFW_TRUE);
  ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
}

}  // namespace invites::platform
