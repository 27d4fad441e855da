#pragma once
// HTTP requests through the browser's fetch(): same-origin credentials (the
// session cookie), optional X-CSRF-Token, a timeout (AbortController). The
// result comes back to the main loop: callbacks run from fetch_dispatch(),
// never from inside a browser event, so UI state changes only between frames.
//
// Plain C++ types: app/ code can be given a fake Fetcher in native tests.

#include <functional>
#include <string>

namespace invites::platform {

struct FetchRequest {
  std::string method = "GET";
  std::string url;   // same-origin path, e.g. "/api/me"
  std::string body;  // sent when non-empty
  std::string content_type = "application/json";
  std::string csrf_token;  // sent as X-CSRF-Token when non-empty
  int timeout_ms = 15000;
  bool bypass_http_cache = true;  // API calls: always fresh; static files may use the cache
};

struct FetchResult {
  int status = 0;     // HTTP status; 0 when no response arrived
  std::string body;   // response body (also for error statuses)
  std::string error;  // readable reason when !ok(): "HTTP 404 Not Found",
                      // "timed out after 5 s", "network error (Failed to fetch)"
  bool ok() const { return status >= 200 && status < 300; }
};

using FetchCallback = std::function<void(FetchResult&&)>;
using Fetcher = std::function<void(FetchRequest, FetchCallback)>;

// Starts a request; `done` runs later from fetch_dispatch().
void fetch(FetchRequest request, FetchCallback done);

// Runs the callbacks of finished requests. Call once per main-loop tick.
void fetch_dispatch();

// Number of requests started and not yet dispatched.
int fetch_in_flight();

}  // namespace invites::platform
