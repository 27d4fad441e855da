#pragma once
// The GLFW window on the page's canvas (a WebGL 2 context) and the ImGui
// context with its GLFW + OpenGL3 backends. Frames are sized from the
// canvas metrics: display size in CSS px, framebuffer scale = DPR.

struct GLFWwindow;

namespace invites::platform {

struct CanvasMetrics;

class GlWindow {
 public:
  // Creates the context and ImGui on a canvas whose backing store is already
  // at its final size (a resize reallocates WebGL's drawing buffer: a
  // synchronous wait for the GPU process). Returns false without WebGL 2.
  bool create(const CanvasMetrics& canvas);

  void begin_frame(const CanvasMetrics& canvas);
  void end_frame(const CanvasMetrics& canvas);

  GLFWwindow* handle() const { return window_; }

 private:
  GLFWwindow* window_ = nullptr;
};

}  // namespace invites::platform
