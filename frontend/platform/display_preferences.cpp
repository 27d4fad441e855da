#include "platform/display_preferences.hpp"

#include <emscripten.h>

namespace {

// clang-format off
EM_JS(int, js_prefers_high_contrast, (), {
  return window.matchMedia('(forced-colors: active), (prefers-contrast: more)').matches ? 1 : 0;
});
EM_JS(int, js_prefers_reduced_motion, (), {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 1 : 0;
});
// clang-format on

}  // namespace

namespace invites::platform {

bool prefers_high_contrast() { return js_prefers_high_contrast() != 0; }
bool prefers_reduced_motion() { return js_prefers_reduced_motion() != 0; }

}  // namespace invites::platform
