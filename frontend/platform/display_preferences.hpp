#pragma once
// What the browser asks of the display, read once at start:
// - more contrast: forced-colors mode (Windows high contrast) or
//   prefers-contrast: more; the app then draws with its high-contrast
//   palette (panels/palette.hpp);
// - reduced motion (prefers-reduced-motion: reduce); the app then keeps
//   still whatever would move by itself (the text cursor's blinking).

namespace invites::platform {

bool prefers_high_contrast();
bool prefers_reduced_motion();

}  // namespace invites::platform
