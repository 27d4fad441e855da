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
  // synchronous wait for the GPU process). `canvas_selector` names that
  // canvas, for the context's loss and restore events. Returns false without WebGL 2.
  bool create(const char* canvas_selector, const CanvasMetrics& canvas);

  void begin_frame(const CanvasMetrics& canvas);
  void end_frame(const CanvasMetrics& canvas);

  // The browser may take the WebGL context away (a GPU reset, a driver
  // update, too many contexts) and give it back empty. While it is lost no
  // frame is drawn; once it is back, renew_after_restore() makes ImGui's
  // shaders, buffers and font texture anew (true once per restore).
  bool context_lost() const { return context_lost_; }
  bool renew_after_restore();

  GLFWwindow* handle() const { return window_; }

 private:
  GLFWwindow* window_ = nullptr;
  bool context_lost_ = false;
  bool context_restored_ = false;
};

}  // namespace invites::platform
