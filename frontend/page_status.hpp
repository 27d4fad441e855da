#pragma once
// The one publisher of the app's status on window.invitesApp, the read-only
// object the page and the browser tests read (keys: frontend/README.md).
// Called once per drawn frame; platform/page.hpp only writes the keys.

#include "app/state.hpp"
#include "platform/canvas.hpp"

namespace invites {

// What the frame loop knows besides the app state.
struct FrameStatus {
  unsigned frames = 0;
  platform::CanvasMetrics canvas;
  double font_dpr = 0;            // the device pixel ratio the font atlas was built for
  const char* font_problem = "";  // why the UI font is not used (empty if it is)
  bool cursor_blink = true;       // false under prefers-reduced-motion
  // The last frame's CPU time in milliseconds (bench/a11y_cost_bench.mjs):
  // all of it (panels, semantic tree, GL calls, DOM layer); building the UI
  // (ImGui's layout of the panels and their description for the semantic
  // tree, without rendering); and the part after drawing that diffs the
  // semantic tree and applies it to the DOM.
  double frame_ms = 0;
  double ui_ms = 0;
  double reconcile_ms = 0;
};

void publish_page_status(const app::State& state, const FrameStatus& frame);

}  // namespace invites
