#pragma once
// The sending side of the JSON API (docs/design.md §5, §6): Send, jobs, templates,
// division senders, render and test send, the audit log; and the invitee's
// acceptance page. One .cpp per resource.
#include <httplib.h>

#include "db/connection_pool.hpp"
#include "http/route_context.hpp"

namespace invites::http {

// POST /api/previews/{id}/send (390)
void register_send_routes(httplib::Server& server, RouteContext& context);
// GET /api/jobs, GET /api/jobs/{id}, POST /api/jobs/{id}/pause|resume|cancel|retry-failed,
// GET /api/jobs/{id}/recipients (390)
void register_job_routes(httplib::Server& server, RouteContext& context);
// GET /api/templates (390 or 120), POST /api/templates, PUT /api/templates/{id} (120)
void register_template_routes(httplib::Server& server, RouteContext& context);
// GET /api/divisions, PUT /api/divisions/{id} (120)
void register_division_routes(httplib::Server& server, RouteContext& context);
// POST /api/render, POST /api/test-send (390)
void register_render_routes(httplib::Server& server, RouteContext& context);
// GET /api/audit (120)
void register_audit_routes(httplib::Server& server, RouteContext& context);
// GET/POST /portal/accept (public: the invitee's token is the credential)
void register_portal_accept_routes(httplib::Server& server, db::ConnectionPool& pool);

}  // namespace invites::http
