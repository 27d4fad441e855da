#pragma once
// GET /healthz for load balancers and monitoring: 200 with
// {"status":"ok","database":"ok"}, or 503 with "database":"unreachable".
#include <functional>

#include <httplib.h>

namespace invites::http {

// True when the database answers; called once per health request, so it
// must be quick (a short connect timeout).
using DatabasePing = std::function<bool()>;

httplib::Server::Handler health_handler(DatabasePing ping);

}  // namespace invites::http
