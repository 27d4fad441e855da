#pragma once
// Input routing into ImGui, in CSS pixels. Mouse, wheel and touch come from
// Emscripten's html5 callbacks (GLFW's mouse positions are in backing-store
// pixels and its wheel deltas are unscaled); keys and typed text come through
// the page's accessibility layer (platform/a11y_bridge). Every event wakes
// the idle gate.

struct GLFWwindow;

namespace invites::platform {

class Canvas;

// Call after the ImGui GLFW backend was initialized with install_callbacks=false.
void install_input(GLFWwindow* window, const Canvas& canvas);

}  // namespace invites::platform
