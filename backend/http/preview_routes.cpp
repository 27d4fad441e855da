#include <chrono>
#include <limits>

#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "http/request_fields.hpp"
#include "invites/evaluator.hpp"
#include "invites/recipient_export.hpp"
#include "invites/recipient_page_query.hpp"
#include "invites/utc_time.hpp"
#include "repository/audit_log.hpp"
#include "service/metrics.hpp"

namespace invites::http {
namespace {

bool wants_csv(const httplib::Request& request, bool csv_path) {
  if (csv_path) return true;
  if (request.has_param("format")) {
    const auto format = request.get_param_value("format");
    if (format == "csv") return true;
    if (format == "json") return false;
    throw ApiError(400, "invalid", "format: must be json or csv", std::string("format"));
  }
  const auto accept = request.get_header_value("Accept");
  return accept.find("text/csv") != std::string::npos && accept.find("application/json") == std::string::npos;
}

void handle_recipients(RouteContext& context, const httplib::Request& request, httplib::Response& response) {
  const auto session = context.auth.require(request, Permission::send_invites);
  const std::string id = request.matches[1];
  const bool csv_path = request.matches[2].length() > 0;
  const auto preview = context.previews.find(id, session.user_id);
  if (!preview) throw ApiError(404, "not_found", "no such preview (it may have expired: press Load again)");

  RecipientPageQuery query = parse_recipient_page_query(query_params(request));
  const bool csv = wants_csv(request, csv_path);
  if (csv) {
    query.page.offset = 0;
    query.page.limit = std::numeric_limits<std::size_t>::max();
  }

  const Snapshot& snapshot = *preview->snapshot;
  const auto page =
      page_of(snapshot, *preview->evaluation, query, service::portal_columns_of(snapshot, preview->portal.get()));
  if (csv) {
    response.set_header("Content-Disposition", "attachment; filename=\"" + recipient_csv_name(query.group) + "\"");
    response.set_content(recipient_page_csv(page), "text/csv; charset=utf-8");
    return;
  }
  send_json(response, recipient_page_json(page));
}

}  // namespace

void register_preview_routes(httplib::Server& server, RouteContext& context) {
  server.Post("/api/previews", [&context](const httplib::Request& request, httplib::Response& response) {
    const auto started = std::chrono::steady_clock::now();
    const auto session = context.auth.require(request, Permission::send_invites);
    const auto body = parse_json_object(request);
    for (const auto& [key, value] : body.items()) {
      if (key != "filter") throw ApiError(400, "invalid", key + ": unknown key (the body holds only \"filter\")", key);
    }
    if (!body.contains("filter"))
      throw ApiError(400, "invalid", "filter: missing (the filter to evaluate)", std::string("filter"));
    Filter filter = filter_from_json(body["filter"], "filter");

    auto lease = context.pool.acquire();
    std::shared_ptr<const service::SnapshotState> state;
    try {
      state = context.index.current_for_load(*lease);
    } catch (const service::SnapshotLoading& e) {
      throw ApiError(503, "snapshot_loading", e.what());
    }
    check_known_ids(filter, *state->known_ids, "filter");
    Evaluation evaluation = evaluate(*state->snapshot, filter, state->portal_columns());
    const auto counts = evaluation.counts;
    // Earlier previews of this build now read the newest statuses' copy, so
    // superseded copies of the data are freed.
    context.previews.rebase(state->generation, state->portal);
    const auto preview = context.previews.add(session.user_id, filter, std::move(evaluation), state->snapshot,
                                              state->generation, state->portal);

    repository::record(*lease, session.user_id, "preview",
                       {{"preview_id", preview->id},
                        {"filter", filter_to_json(filter)},
                        {"counts", counts_to_json(counts)},
                        {"digest", preview->evaluation->digest},
                        {"generated_at", iso8601_utc(state->generated_at())}});
    response.set_header("X-Snapshot-Generated-At", iso8601_utc(state->generated_at()));
    send_json(response, {{"preview_id", preview->id},
                         {"counts", counts_to_json(counts)},
                         {"digest", preview->evaluation->digest},
                         {"generated_at", iso8601_utc(state->generated_at())},
                         {"snapshot_age_seconds", static_cast<std::int64_t>(state->age_seconds())}});
    service::Metrics::instance().count_load(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  });
  server.Get(R"(/api/previews/([^/]+)/recipients(\.csv)?)",
             [&context](const httplib::Request& request, httplib::Response& response) {
               handle_recipients(context, request, response);
             });
}

}  // namespace invites::http
