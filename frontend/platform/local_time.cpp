#include "platform/local_time.hpp"

#include <emscripten.h>

namespace {

std::string formatted;  // written by the page

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE char* invites_local_time_buffer(int size) {
  formatted.resize(static_cast<std::size_t>(size));
  return formatted.data();
}

// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_local_time, (const char* iso_c), {
  var iso = UTF8ToString(iso_c);
  var date = new Date(iso);
  var text = isNaN(date.getTime()) ? iso
    : date.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
  var bytes = new TextEncoder().encode(text);
  HEAPU8.set(bytes, _invites_local_time_buffer(bytes.length));
});
// clang-format on

namespace invites::platform {

std::string local_time(const std::string& iso_utc) {
  js_local_time(iso_utc.c_str());
  return formatted;
}

}  // namespace invites::platform
