#pragma once
// Mouse cursor shape: Emscripten's GLFW cannot change it, so the CSS cursor
// of the canvas follows ImGui's wish (I-beam over text fields, hand on links).

namespace invites::platform {

// `imgui_cursor` is an ImGuiMouseCursor value; only changes touch the DOM.
void apply_cursor(const char* canvas_selector, int imgui_cursor);

}  // namespace invites::platform
