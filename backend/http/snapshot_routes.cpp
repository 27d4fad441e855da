#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "http/response_encoding.hpp"
#include "invites/recipient_export.hpp"
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
      context.previews.store().rebase(state->generation, state->portal);
    } catch (const service::SnapshotLoading& e) {
      throw ApiError(503, "snapshot_loading", e.what());
    }
    const auto& download = state->download();
    response.set_header("ETag", download.etag);
    response.set_header("Cache-Control", "private, no-cache");
    response.set_header("X-Snapshot-Generated-At", iso8601_utc(state->generated_at()));
    response.set_header("X-Snapshot-Age-Seconds", std::to_string(static_cast<long long>(state->age_seconds())));
    // The decoded size: the app's progress bar (the body is chunked).
    response.set_header("X-Snapshot-Bytes", std::to_string(download.layout.size));
    const auto match = request.get_header_value("If-None-Match");
    if (!match.empty() && (match == "*" || match.find(download.etag) != std::string::npos)) {
      vary_on_accept_encoding(response);
      response.status = 304;
      return;
    }
    // Encoded again for each download, piece by piece as the client takes it:
    // the state (shared) is all this response holds on to.
    stream_body(request, response, "application/octet-stream", [state](const BodyWriter& write) {
      state->encode([&](std::string_view piece) {
        if (!write(piece)) throw ClientGone();
      });
    });
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
