#include "platform/wheel.hpp"

#include <algorithm>

namespace invites::platform {
namespace {

constexpr double kLinesPerNotch = 1.0;      // the scroll speed: lines per wheel notch
constexpr double kPixelsPerNotch = 100.0;   // Chromium (and Firefox in pixel mode), wheel mouse
constexpr double kDomLinesPerNotch = 3.0;   // Firefox in line mode: deltaY = 3 per notch
constexpr double kMaxLinesPerEvent = 40.0;  // no single event scrolls further than this

double clamp_lines(double lines) { return std::clamp(lines, -kMaxLinesPerEvent, kMaxLinesPerEvent); }

}  // namespace

WheelLines wheel_lines(unsigned long delta_mode, double dx, double dy, double lines_per_page) {
  double lines_per_unit = kLinesPerNotch / kPixelsPerNotch;                  // DOM_DELTA_PIXEL
  if (delta_mode == 1) lines_per_unit = kLinesPerNotch / kDomLinesPerNotch;  // DOM_DELTA_LINE
  if (delta_mode == 2) lines_per_unit = std::max(lines_per_page, 1.0);       // DOM_DELTA_PAGE
  return WheelLines{clamp_lines(dx * lines_per_unit), clamp_lines(dy * lines_per_unit)};
}

}  // namespace invites::platform
