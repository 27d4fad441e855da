#pragma once
// Health endpoints for load balancers, orchestrators and monitoring:
//   GET /healthz/live   200 {"status":"live"} while the process serves HTTP
//   GET /healthz/ready  200 {"status":"ready",...} when this server can take
//                       any request (Load index built, database writable,
//                       not shutting down); else 503 {"status":"not_ready",...}
//                       naming what is missing, so a load balancer drains it
//   GET /healthz        200 {"status":"ok","database":"ok"}, or 503 with
//                       "database":"unreachable"
#include <functional>

#include <httplib.h>

namespace invites::http {

// True when the database answers; called once per health request, so it
// must be quick (a short connect timeout).
using DatabasePing = std::function<bool()>;

httplib::Server::Handler health_handler(DatabasePing ping);

struct Readiness {
  bool index_built = false;        // the first Load index is in memory
  bool database_writable = false;  // a write (the sender's lease renewal) succeeded lately
  bool stopping = false;           // shutdown has begun
};

// Called once per request; must not wait for the database (it reads state
// the server keeps anyway), since load balancers ask every second.
using ReadinessProbe = std::function<Readiness()>;

httplib::Server::Handler live_handler();
httplib::Server::Handler ready_handler(ReadinessProbe probe);

}  // namespace invites::http
