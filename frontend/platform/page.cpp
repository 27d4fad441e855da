#include "platform/page.hpp"

#include <emscripten.h>

// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_publish_string, (const char* key, const char* value), {
  var app = window['invitesApp'] || (window['invitesApp'] = {});
  app[UTF8ToString(key)] = UTF8ToString(value);
});

EM_JS(void, js_publish_number, (const char* key, double value), {
  var app = window['invitesApp'] || (window['invitesApp'] = {});
  app[UTF8ToString(key)] = value;
});

EM_JS(void, js_publish_ready, (), {
  var app = window['invitesApp'] || (window['invitesApp'] = {});
  app['firstFrameMs'] = Math.round(performance.now());
  app['ready'] = true;
  var loading = document.getElementById('loading');
  if (loading) loading.remove();
  window.dispatchEvent(new Event('invites-app-ready'));
});

EM_JS(void, js_show_fatal, (const char* message), {
  var text = UTF8ToString(message);
  var app = window['invitesApp'] || (window['invitesApp'] = {});
  app['fatal'] = text;
  var loading = document.getElementById('loading');
  if (loading) {
    loading.textContent = text;
    loading.classList.add('error');
  }
});
// clang-format on

namespace invites::platform::page {

void publish_ready() { js_publish_ready(); }
void show_fatal(const char* message) { js_show_fatal(message); }
void publish(const char* key, const char* value) { js_publish_string(key, value); }
void publish(const char* key, double value) { js_publish_number(key, value); }

}  // namespace invites::platform::page
