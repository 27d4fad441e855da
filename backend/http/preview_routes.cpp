#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <span>

#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "http/request_fields.hpp"
#include "http/response_encoding.hpp"
#include "invites/evaluator.hpp"
#include "invites/recipient_export.hpp"
#include "invites/recipient_page_query.hpp"
#include "invites/utc_time.hpp"
#include "repository/audit_log.hpp"
#include "service/metrics.hpp"

namespace invites::http {
namespace {

constexpr std::size_t csv_rows_per_piece = 4096;

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

// The CSV of a whole group (offset and limit ignored), streamed a block of
// rows at a time: a group of a million recipients is ~90 MB of CSV. In the
// group's own order the rows of each block are all that is built; a search or
// another order needs every matching row first (as views into the snapshot).
void stream_recipients_csv(const httplib::Request& request, httplib::Response& response,
                           std::shared_ptr<const service::Preview> preview, RecipientPageQuery query) {
  stream_body(request, response, "text/csv; charset=utf-8",
              [preview = std::move(preview), query](const BodyWriter& write) {
                const Snapshot& snapshot = *preview->snapshot;
                const Evaluation& evaluation = *preview->evaluation;
                const auto portal = service::portal_columns_of(snapshot, preview->portal.get());
                std::string piece;
                append_recipient_csv_header(piece);
                const auto send_rows = [&](std::span<const RecipientView> rows) {
                  for (const auto& row : rows) append_recipient_csv_row(piece, row);
                  const bool sent = write(piece);
                  piece.clear();
                  return sent;
                };
                if (recipient_group_of(query.group) && pages_in_stored_order(query.page)) {
                  RecipientPageQuery block = query;
                  block.page.limit = csv_rows_per_piece;
                  for (block.page.offset = 0;; block.page.offset += csv_rows_per_piece) {
                    const auto page = page_of(snapshot, evaluation, block, portal);
                    if (!send_rows(page.rows)) throw ClientGone();
                    if (block.page.offset + page.rows.size() >= page.total) return;
                  }
                }
                const auto page = page_of(snapshot, evaluation, query, portal);
                const std::span<const RecipientView> rows(page.rows);
                std::size_t begin = 0;
                do {  // at least once: the header row
                  const auto count = std::min(csv_rows_per_piece, rows.size() - begin);
                  if (!send_rows(rows.subspan(begin, count))) throw ClientGone();
                  begin += count;
                } while (begin < rows.size());
              });
}

void handle_recipients(RouteContext& context, const httplib::Request& request, httplib::Response& response) {
  const auto session = context.auth.require(request, Permission::send_invites);
  const std::string id = request.matches[1];
  const bool csv_path = request.matches[2].length() > 0;
  auto lease = context.pool.acquire();
  const auto preview = context.previews.find_for_review(*lease, id, session.user_id);
  if (!preview) throw ApiError(404, "not_found", "no such preview (it may have expired: press Load again)");

  RecipientPageQuery query = parse_recipient_page_query(query_params(request));
  if (wants_csv(request, csv_path)) {
    query.page.offset = 0;
    query.page.limit = std::numeric_limits<std::size_t>::max();
    response.set_header("Content-Disposition", "attachment; filename=\"" + recipient_csv_name(query.group) + "\"");
    return stream_recipients_csv(request, response, preview, query);
  }
  const Snapshot& snapshot = *preview->snapshot;
  const auto page =
      page_of(snapshot, *preview->evaluation, query, service::portal_columns_of(snapshot, preview->portal.get()));
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
    const auto state = context.index.current_for_load(*lease);  // SnapshotLoading: 503
    check_known_ids(filter, *state->known_ids, "filter");
    Evaluation evaluation = evaluate(*state->snapshot, filter, state->portal_columns());
    const auto counts = evaluation.counts;
    const auto preview = context.previews.add(*lease, session.user_id, filter, std::move(evaluation), *state);

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
