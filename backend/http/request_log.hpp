#pragma once
// One structured log line per HTTP request (logfmt: key=value), e.g.
//   http_request id=5f2c09a1-17 method=GET path=/app.wasm status=200 duration_ms=1.8 bytes=412733 remote=127.0.0.1
// Each request gets an id, sent back as X-Request-Id and written on every log
// line about it (current_request_id()), so an error report can be traced.
// Only the path is logged, never the query string: it can carry secrets
// such as invitation tokens (/portal/accept?token=...).
#include <string>

#include <httplib.h>

namespace invites::http {

// Installs the logger on `server`; the server's pre-routing handler calls
// start_request_log() first.
void install_request_log(httplib::Server& server);
// Notes the start time and gives the request its id (X-Request-Id).
void start_request_log(httplib::Response& response);

// The id of the request the calling worker thread is handling ("-" outside one).
const std::string& current_request_id();

}  // namespace invites::http
