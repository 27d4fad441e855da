#include <chrono>
#include <limits>

#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "http/request_fields.hpp"
#include "invites/evaluator.hpp"
#include "invites/recipient_export.hpp"
#include "repository/audit_log.hpp"
#include "service/metrics.hpp"

namespace invites::http {
namespace {

constexpr std::size_t default_limit = 100;
constexpr std::size_t max_limit = 1000;

bool wants_csv(const httplib::Request& request, bool csv_path) {
  if (csv_path) return true;
  if (request.has_param("format")) {
    const auto format = request.get_param_value("format");
    if (format == "csv") return true;
    if (format == "json") return false;
    throw ApiError(400, "invalid", "format must be json or csv", std::string("format"));
  }
  const auto accept = request.get_header_value("Accept");
  return accept.find("text/csv") != std::string::npos && accept.find("application/json") == std::string::npos;
}

void handle_recipients(LoadRouteContext& context, const httplib::Request& request, httplib::Response& response) {
  const auto session = context.auth.require(request, Permission::send_invites);
  const std::string id = request.matches[1];
  const bool csv_path = request.matches[2].length() > 0;
  const auto preview = context.previews.find(id, session.user_id);
  if (!preview) throw ApiError(404, "not_found", "no such preview (it may have expired: press Load again)");

  PageRequest page_request;
  bool skipped = false;
  if (request.has_param("group")) {
    const auto name = request.get_param_value("group");
    if (name == "skipped_invalid_email") {
      skipped = true;
    } else if (const auto group = parse_group(name)) {
      page_request.group = *group;
    } else {
      throw ApiError(
          400, "invalid",
          "group must be new_users, pending_invites, excluded_existing, skipped_suppressed or skipped_invalid_email",
          std::string("group"));
    }
  }
  if (request.has_param("sort")) {
    const auto column = parse_sort_column(request.get_param_value("sort"));
    if (!column) {
      throw ApiError(400, "invalid",
                     "sort must be one of email, first_name, last_name, account_number, account_name, contact_id, "
                     "last_invited_at",
                     std::string("sort"));
    }
    page_request.sort = *column;
  }
  if (request.has_param("order")) {
    const auto order = request.get_param_value("order");
    if (order != "asc" && order != "desc")
      throw ApiError(400, "invalid", "order must be asc or desc", std::string("order"));
    page_request.descending = order == "desc";
  }
  page_request.query = request.get_param_value("q");
  const bool csv = wants_csv(request, csv_path);
  page_request.offset = query_count(request, "offset", 0, 0, std::numeric_limits<std::uint32_t>::max());
  page_request.limit = query_count(request, "limit", default_limit, 1, max_limit);
  if (csv) {
    page_request.offset = 0;
    page_request.limit = std::numeric_limits<std::size_t>::max();
  }

  const Snapshot& snapshot = *preview->snapshot;
  const auto page = skipped ? page_skipped_contacts(snapshot, *preview->evaluation, page_request)
                            : page_recipients(snapshot, *preview->evaluation, page_request,
                                              service::portal_columns_of(snapshot, preview->portal.get()));
  if (csv) {
    const std::string group = skipped ? "skipped_invalid_email" : std::string(group_name(page_request.group));
    response.set_header("Content-Disposition", "attachment; filename=\"recipients-" + group + ".csv\"");
    response.set_content(recipient_page_csv(page), "text/csv; charset=utf-8");
    return;
  }
  send_json(response, recipient_page_json(page));
}

}  // namespace

void register_preview_routes(httplib::Server& server, LoadRouteContext& context) {
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
