#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/gzip.hpp"
#include "http/load_routes.hpp"
#include "invites/utc_time.hpp"

namespace invites::http {

void register_snapshot_routes(httplib::Server& server, RouteContext& context) {
  server.Get("/api/snapshot", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::send_invites);
    // With the tool's own latest portal_users writes, like Load.
    std::shared_ptr<const service::SnapshotState> state;
    try {
      auto lease = context.pool.acquire();
      state = context.index.current_for_load(*lease);
      context.previews.rebase(state->generation, state->portal);
    } catch (const service::SnapshotLoading& e) {
      throw ApiError(503, "snapshot_loading", e.what());
    }
    const auto& encoded = state->encoded();
    response.set_header("ETag", encoded.etag);
    response.set_header("Cache-Control", "private, no-cache");
    response.set_header("Vary", "Accept-Encoding");
    response.set_header("X-Snapshot-Generated-At", iso8601_utc(state->generated_at()));
    response.set_header("X-Snapshot-Age-Seconds", std::to_string(static_cast<long long>(state->age_seconds())));
    response.set_header("X-Snapshot-Bytes", std::to_string(encoded.size));  // decoded size: the app's progress bar
    const auto match = request.get_header_value("If-None-Match");
    if (!match.empty() && (match == encoded.etag || match == "*" || match.find(encoded.etag) != std::string::npos)) {
      response.status = 304;
      return;
    }
    if (accepts_gzip(request.get_header_value("Accept-Encoding"))) {
      response.set_header("Content-Encoding", "gzip");
      response.set_content(encoded.gzip, "application/octet-stream");
    } else {
      response.set_content(encoded.plain(), "application/octet-stream");
    }
  });
  server.Post("/api/snapshot/refresh", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::send_invites);
    context.index.request_refresh();
    nlohmann::json body{{"refresh", "requested"}, {"builds", context.index.build_count()}};
    if (const auto state = context.index.current()) {
      body["generated_at"] = iso8601_utc(state->generated_at());
      body["snapshot_age_seconds"] = static_cast<std::int64_t>(state->age_seconds());
    }
    send_json(response, body, 202);
  });
}

}  // namespace invites::http
