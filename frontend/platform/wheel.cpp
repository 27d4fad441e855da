#include "platform/wheel.hpp"

#include <algorithm>

namespace invites::platform {
namespace {

constexpr double lines_per_notch = 1.0;       // the scroll speed: lines per wheel notch
constexpr double pixels_per_notch = 100.0;    // Chromium (and Firefox in pixel mode), wheel mouse
constexpr double dom_lines_per_notch = 3.0;   // Firefox in line mode: deltaY = 3 per notch
constexpr double max_lines_per_event = 40.0;  // no single event scrolls further than this

double clamp_lines(double lines) { return std::clamp(lines, -max_lines_per_event, max_lines_per_event); }

}  // namespace

WheelLines wheel_lines(unsigned long delta_mode, double dx, double dy, double lines_per_page) {
  double lines_per_unit = lines_per_notch / pixels_per_notch;                   // DOM_DELTA_PIXEL
  if (delta_mode == 1) lines_per_unit = lines_per_notch / dom_lines_per_notch;  // DOM_DELTA_LINE
  if (delta_mode == 2) lines_per_unit = std::max(lines_per_page, 1.0);          // DOM_DELTA_PAGE
  return WheelLines{clamp_lines(dx * lines_per_unit), clamp_lines(dy * lines_per_unit)};
}

}  // namespace invites::platform
