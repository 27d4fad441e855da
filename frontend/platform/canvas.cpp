#include "platform/canvas.hpp"

#include "platform/idle_gate.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <cmath>

namespace {

bool canvas_dirty = true;

void mark_dirty() {
  canvas_dirty = true;
  invites::platform::idle::wake();
}

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void*) {
  mark_dirty();
  return EM_FALSE;
}

EM_BOOL on_visibility(int, const EmscriptenVisibilityChangeEvent* e, void*) {
  // A tab coming back may have lost its composited frame: redraw once.
  if (!e->hidden) mark_dirty();
  return EM_FALSE;
}

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void invites_canvas_dpr_changed() { mark_dirty(); }

// A media query that matches only the current ratio fires `change` when the
// ratio changes; it is then re-armed for the new ratio.
// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_watch_device_pixel_ratio, (), {
  var arm = function() {
    var query = matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
    var onChange = function() {
      query.removeEventListener('change', onChange);
      _invites_canvas_dpr_changed();
      arm();
    };
    query.addEventListener('change', onChange);
  };
  arm();
});

EM_JS(void, js_canvas_offset, (const char* selector, double* left, double* top), {
  var canvas = document.querySelector(UTF8ToString(selector));
  var rect = canvas ? canvas.getBoundingClientRect() : { left: 0, top: 0 };
  HEAPF64[left >> 3] = rect.left;
  HEAPF64[top >> 3] = rect.top;
});
// clang-format on

namespace invites::platform {

void Canvas::install_listeners() {
  emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_resize);
  emscripten_set_visibilitychange_callback(nullptr, EM_FALSE, on_visibility);
  js_watch_device_pixel_ratio();
}

Canvas::Change Canvas::refresh() {
  Change change;
  // The ratio is also compared on every tick (one cheap JS call): not every
  // DPR change fires the media query (e.g. DevTools / CDP device emulation).
  if (!canvas_dirty && emscripten_get_device_pixel_ratio() == metrics_.dpr) return change;
  canvas_dirty = false;

  CanvasMetrics m;
  emscripten_get_element_css_size(selector_, &m.css_width, &m.css_height);
  js_canvas_offset(selector_, &m.css_left, &m.css_top);
  m.dpr = emscripten_get_device_pixel_ratio();
  if (!(m.dpr > 0)) m.dpr = 1;
  m.fb_width = static_cast<int>(std::lround(m.css_width * m.dpr));
  m.fb_height = static_cast<int>(std::lround(m.css_height * m.dpr));

  int current_w = 0, current_h = 0;
  emscripten_get_canvas_element_size(selector_, &current_w, &current_h);
  if (current_w != m.fb_width || current_h != m.fb_height)
    emscripten_set_canvas_element_size(selector_, m.fb_width, m.fb_height);

  change.size = m.css_width != metrics_.css_width || m.css_height != metrics_.css_height || m.fb_width != current_w ||
                m.fb_height != current_h;
  change.dpr = m.dpr != metrics_.dpr;
  metrics_ = m;
  return change;
}

}  // namespace invites::platform
