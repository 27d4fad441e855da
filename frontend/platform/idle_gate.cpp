#include "platform/idle_gate.hpp"

#include <emscripten.h>

#include <algorithm>

namespace invites::platform::idle {
namespace {

// ImGui needs a couple of frames after a change to settle (windows auto-fit
// on their second frame, hover state follows the mouse one frame late).
constexpr int settle_frames = 3;
// After input keep drawing for this long: covers ImGui's hover delays
// (HoverDelayNormal = 0.40 s) so delayed tooltips still appear.
constexpr double input_settle_ms = 500.0;

int frames_left = settle_frames;  // draw the first frames unconditionally
double awake_until_ms = 0.0;

}  // namespace

void wake() { frames_left = std::max(frames_left, settle_frames); }

void wake_for_input() {
  wake();
  awake_until_ms = std::max(awake_until_ms, emscripten_get_now() + input_settle_ms);
}

void request_frames(int frames) { frames_left = std::max(frames_left, frames); }

bool should_draw() { return frames_left > 0 || emscripten_get_now() < awake_until_ms; }

void frame_drawn() {
  if (frames_left > 0) --frames_left;
}

}  // namespace invites::platform::idle
