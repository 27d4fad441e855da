#pragma once
// The WebGL canvas: its backing store is kept at CSS size × devicePixelRatio
// so text is rasterized at device resolution (high-DPI screens, browser zoom).
// ImGui works in CSS pixels; the framebuffer scale is the DPR.

namespace invites::platform {

struct CanvasMetrics {
  double css_left = 0, css_top = 0;      // canvas position in the page (CSS px)
  double css_width = 0, css_height = 0;  // canvas size (CSS px) = ImGui display size
  double dpr = 1;                        // device pixels per CSS pixel
  int fb_width = 0, fb_height = 0;       // backing store (device px)
};

class Canvas {
 public:
  explicit Canvas(const char* selector) : selector_(selector) {}

  // Listens for window resizes and devicePixelRatio changes (browser zoom,
  // moving the window to another screen); both mark the canvas for refresh
  // and wake the idle gate.
  void install_listeners();

  struct Change {
    bool size = false;  // CSS size or backing-store size changed
    bool dpr = false;   // device pixel ratio changed: rebuild the font atlas
    explicit operator bool() const { return size || dpr; }
  };

  // Measures the canvas if something may have changed (or on first call)
  // and resizes the backing store to match. Cheap when nothing changed.
  Change refresh();

  const CanvasMetrics& metrics() const { return metrics_; }
  const char* selector() const { return selector_; }

 private:
  const char* selector_;
  CanvasMetrics metrics_;
};

}  // namespace invites::platform
