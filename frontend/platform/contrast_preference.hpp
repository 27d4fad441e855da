#pragma once
// Whether the browser asks for more contrast: forced-colors mode (Windows
// high contrast) or prefers-contrast: more. The app then draws with its
// high-contrast palette (panels/palette.hpp).

namespace invites::platform {

bool prefers_high_contrast();

}  // namespace invites::platform
