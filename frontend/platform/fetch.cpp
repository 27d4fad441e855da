#include "platform/fetch.hpp"

#include "platform/idle_gate.hpp"

#include <emscripten.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

struct Pending {
  invites::app::FetchCallback done;
  invites::app::FetchResult result;
};

std::unordered_map<unsigned, Pending> pending_requests;  // started, waiting for the browser
std::vector<unsigned> finished_requests;                 // ids whose result arrived
unsigned next_request_id = 1;

}  // namespace

// Called from JS: buffer for the response body (kind 0) or the error text (kind 1).
extern "C" EMSCRIPTEN_KEEPALIVE char* invites_fetch_buffer(unsigned id, int kind, int size) {
  auto it = pending_requests.find(id);
  if (it == pending_requests.end() || size < 0) return nullptr;
  std::string& target = kind == 0 ? it->second.result.body : it->second.result.error;
  target.assign(static_cast<size_t>(size), '\0');
  return target.data();
}

// Called from JS when the request is over (response read, failed or timed out).
extern "C" EMSCRIPTEN_KEEPALIVE void invites_fetch_finished(unsigned id, int status) {
  auto it = pending_requests.find(id);
  if (it == pending_requests.end()) return;
  it->second.result.status = status;
  finished_requests.push_back(id);
  invites::platform::idle::wake();
}

// The request runs in the browser; the outcome is copied into wasm memory
// through invites_fetch_buffer and signalled with invites_fetch_finished.
// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_fetch, (unsigned id, const char* method_c, const char* url_c, const char* body_c,
                       int body_len, const char* content_type_c, const char* csrf_c,
                       int timeout_ms, int no_store), {
  var put = function(kind, bytes) {
    var ptr = _invites_fetch_buffer(id, kind, bytes.length);
    if (ptr && bytes.length) HEAPU8.set(bytes, ptr);  /* after the call: memory may have grown */
  };
  var putText = function(kind, text) { put(kind, new TextEncoder().encode(text)); };
  var statusReason = function(response, bodyBytes) {
    var reason = 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : "");
    try { /* the API's errors are {"error":{"code","message"}} */
      var parsed = JSON.parse(new TextDecoder().decode(bodyBytes));
      if (parsed && parsed.error && parsed.error.message) reason += ': ' + parsed.error.message;
    } catch (ignored) {}
    return reason;
  };

  var method = UTF8ToString(method_c);
  var headers = {};
  var init = { method: method, credentials: 'same-origin', headers: headers, cache: no_store ? 'no-store' : 'default' };
  if (body_len > 0) {
    init.body = HEAPU8.slice(body_c, body_c + body_len);
    headers['Content-Type'] = UTF8ToString(content_type_c);
  }
  var csrf = UTF8ToString(csrf_c);
  if (csrf) headers['X-CSRF-Token'] = csrf;

  var controller = new AbortController();
  var timedOut = false;
  var timer = setTimeout(function() { timedOut = true; controller.abort(); }, timeout_ms);
  init.signal = controller.signal;

  fetch(UTF8ToString(url_c), init)
    .then(function(response) {
      return response.arrayBuffer().then(function(buffer) {
        var bytes = new Uint8Array(buffer);
        put(0, bytes);
        if (response.status < 200 || response.status > 299) putText(1, statusReason(response, bytes));
        return response.status;
      });
    })
    .catch(function(err) {
      var reason;
      if (timedOut) reason = 'timed out after ' + (timeout_ms / 1000) + ' s';
      else if (navigator.onLine === false) reason = 'offline';
      else reason = 'network error (' + ((err && err.message) || String(err)) + ')';
      putText(1, reason);
      return 0;
    })
    .then(function(status) {
      clearTimeout(timer);
      _invites_fetch_finished(id, status);
    });
});
// clang-format on

namespace invites::platform {

void fetch(app::FetchRequest request, app::FetchCallback done) {
  const unsigned id = next_request_id++;
  pending_requests.emplace(id, Pending{std::move(done), {}});
  js_fetch(id, request.method.c_str(), request.url.c_str(), request.body.data(), static_cast<int>(request.body.size()),
           request.content_type.c_str(), request.csrf_token.c_str(), request.timeout_ms,
           request.bypass_http_cache ? 1 : 0);
}

void fetch_dispatch() {
  if (finished_requests.empty()) return;
  std::vector<unsigned> finished;
  finished.swap(finished_requests);  // callbacks may start new requests
  for (unsigned id : finished) {
    auto it = pending_requests.find(id);
    if (it == pending_requests.end()) continue;
    Pending pending = std::move(it->second);
    pending_requests.erase(it);
    if (pending.done) pending.done(std::move(pending.result));
  }
}

int fetch_in_flight() { return static_cast<int>(pending_requests.size()); }

}  // namespace invites::platform
