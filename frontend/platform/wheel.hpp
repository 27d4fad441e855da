#pragma once
// Mouse-wheel normalization. Browsers report wheel deltas in pixels, lines or
// pages (WheelEvent.deltaMode) with very different magnitudes, and
// Emscripten's GLFW passes them on unscaled (one notch ≈ 100 units). This
// turns any of them into lines of text: one notch of an ordinary wheel mouse
// scrolls one line; a touchpad gives proportional fractions.

namespace invites::platform {

struct WheelLines {
  double x = 0;  // > 0: towards the right
  double y = 0;  // > 0: downwards (as in the DOM)
};

// delta_mode: 0 pixels, 1 lines, 2 pages (DOM_DELTA_*); dx/dy as in the DOM
// event. lines_per_page is used for page deltas.
WheelLines wheel_lines(unsigned long delta_mode, double dx, double dy, double lines_per_page);

}  // namespace invites::platform
