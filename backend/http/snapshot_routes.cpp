#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "http/response_encoding.hpp"
#include "invites/recipient_export.hpp"
#include "invites/snapshot_delta.hpp"
#include "invites/utc_time.hpp"

namespace invites::http {
namespace {

// Deltas are sent only when they are this much smaller than the full copy
// (the browser's work to apply them grows with their size, too).
constexpr std::size_t delta_share_divisor = 4;

// The digest in an If-None-Match of one of our ETags ("\"<16 hex digits>\"").
std::optional<std::uint64_t> held_digest(const std::string& if_none_match) {
  const auto open = if_none_match.find('"');
  if (open == std::string::npos || if_none_match.size() < open + 18 || if_none_match[open + 17] != '"')
    return std::nullopt;
  std::uint64_t digest = 0;
  for (std::size_t i = open + 1; i < open + 17; ++i) {
    const char c = if_none_match[i];
    const int value = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (value < 0) return std::nullopt;
    digest = digest << 4 | static_cast<std::uint64_t>(value);
  }
  return digest;
}

}  // namespace

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
    // A copy this server has deltas from: only what changed since (docs/design.md §7).
    if (const auto held = held_digest(match)) {
      if (auto deltas = context.index.deltas_between(*held, *state);
          deltas && deltas->size() < download.layout.size / delta_share_divisor) {
        auto body = std::make_shared<const std::string>(std::move(*deltas));
        stream_body(request, response, std::string(snapshot_delta_content_type), [body](const BodyWriter& write) {
          if (!write(*body)) throw ClientGone();
        });
        return;
      }
    }
    // Encoded again for each download, piece by piece as the client takes it:
    // the state (shared) is all this response holds on to.
    stream_body(
        request, response, "application/octet-stream",
        [state](const BodyWriter& write) {
          state->encode([&](std::string_view piece) {
            if (!write(piece)) throw ClientGone();
          });
        },
        BodyUse::offline_copy);
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
