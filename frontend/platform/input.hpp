#pragma once
// Input routing into ImGui, in CSS pixels. Mouse and wheel come from
// Emscripten's html5 callbacks (GLFW's mouse positions are in backing-store
// pixels and its wheel deltas are unscaled); keys and typed characters come
// through GLFW into ImGui's GLFW backend. Every event wakes the idle gate.

struct GLFWwindow;

namespace invites::platform {

class Canvas;

// Call after the ImGui GLFW backend was initialized with install_callbacks=false.
void install_input(GLFWwindow* window, const Canvas& canvas);

}  // namespace invites::platform
