#pragma once
// The Load side of the JSON API (docs/design.md §5): lookups, previews and their
// recipients, the offline snapshot, and /metrics. One .cpp per resource.
#include <string>

#include <httplib.h>

#include "http/route_context.hpp"
#include "service/snapshot_index.hpp"

namespace invites::http {

// GET /api/lookups (390): the filter lists, division senders, active templates
void register_lookup_routes(httplib::Server& server, RouteContext& context);
// POST /api/previews, GET /api/previews/{id}/recipients[.csv] (390)
void register_preview_routes(httplib::Server& server, RouteContext& context);
// GET /api/snapshot (390), POST /api/snapshot/refresh (390)
void register_snapshot_routes(httplib::Server& server, RouteContext& context);
// GET /api/suppressions[.csv], POST /api/suppressions/lift (390): the
// suppressed addresses with the contacts that use them; lifting is audited
void register_suppression_routes(httplib::Server& server, RouteContext& context);
// GET /metrics (Prometheus text); with a `token`, only for requests that
// carry it as "Authorization: Bearer TOKEN" (else 401).
void register_metrics_routes(httplib::Server& server, service::SnapshotIndex& index, std::string token);

}  // namespace invites::http
