#pragma once
// Idle gate: the main loop runs every animation frame, but an ImGui frame is
// built and drawn only when something may have changed. Input, resize, DPR
// change, finished downloads and app-state changes open the gate; with nothing
// to do the tick returns at once (no ImGui frame, no GL calls, no CPU burn).

namespace invites::platform::idle {

// Something changed (async result, resize, font rebuilt): draw a few frames.
void wake();

// User input: draw now and keep drawing for a short settle period so ImGui
// can finish hover/active transitions, delayed tooltips and two-pass layout.
void wake_for_input();

// Called by the UI while drawing a frame: it needs `frames` more frames
// (an animation, a blinking text cursor, a progress bar being refreshed).
void request_frames(int frames);

// Asked once per tick: build and draw an ImGui frame now?
bool should_draw();

// Bookkeeping after a frame was drawn.
void frame_drawn();

}  // namespace invites::platform::idle
