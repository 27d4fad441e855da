#pragma once
// The HTTP client app/ is given (it owns this interface; the browser's is
// platform::fetch, the native tests give a fake): same-origin requests whose
// results come back later, from the main loop, never from inside a browser
// event, so state changes only between frames.

#include <functional>
#include <string>

namespace invites::app {

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

}  // namespace invites::app
