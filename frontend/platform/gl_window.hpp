#pragma once
// The GLFW window on the page's canvas (a WebGL 2 context) and the ImGui
// context with its GLFW + OpenGL3 backends. Frames are sized from the
// canvas metrics: display size in CSS px, framebuffer scale = DPR.

struct GLFWwindow;

namespace invites::platform {

struct CanvasMetrics;

class GlWindow {
 public:
  // Creates the context and ImGui. Returns false if WebGL 2 is unavailable.
  bool create();

  void begin_frame(const CanvasMetrics& canvas);
  void end_frame(const CanvasMetrics& canvas);

  GLFWwindow* handle() const { return window_; }

 private:
  GLFWwindow* window_ = nullptr;
};

}  // namespace invites::platform
