#pragma once
// One structured log line per HTTP request (logfmt: key=value), e.g.
//   http_request method=GET path=/app.wasm status=200 duration_ms=1.8 bytes=412733 remote=127.0.0.1
// Only the path is logged, never the query string: it can carry secrets
// such as invitation tokens (/portal/accept?token=...).
#include <httplib.h>

namespace invites::http {

// Installs a pre-routing hook (start time) and the logger on `server`; a
// pre-routing handler installed afterwards would replace the hook.
void install_request_log(httplib::Server& server);

}  // namespace invites::http
