#pragma once
// POST /api/session (log in), DELETE /api/session (log out), GET /api/me.
#include <httplib.h>

#include "db/connection_pool.hpp"
#include "http/login_throttle.hpp"
#include "http/session_auth.hpp"

namespace invites::http {

void register_session_routes(httplib::Server& http, db::ConnectionPool& pool, SessionAuth& sessions,
                             LoginThrottle& throttle);

}  // namespace invites::http
