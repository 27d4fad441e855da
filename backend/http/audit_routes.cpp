#include <limits>

#include <nlohmann/json.hpp>

#include "invites/json_optional.hpp"

#include "http/api_error.hpp"
#include "http/request_fields.hpp"
#include "http/send_routes.hpp"
#include "repository/audit_log.hpp"

namespace invites::http {

void register_audit_routes(httplib::Server& server, RouteContext& context) {
  server.Get("/api/audit", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::setup);
    const auto limit = query_count(request, "limit", default_page_rows, 1, max_page_rows);
    const auto before = query_count(request, "before", 0, 0, std::numeric_limits<std::int64_t>::max());
    auto lease = context.pool.acquire();
    auto entries = nlohmann::json::array();
    for (const auto& entry : repository::recent_entries(*lease, limit, before)) {
      entries.push_back({{"id", entry.id},
                         {"at", entry.at},
                         {"username", json_or_null(entry.username)},
                         {"action", entry.action},
                         {"detail", entry.detail}});
    }
    send_json(response, {{"entries", std::move(entries)}});
  });
}

}  // namespace invites::http
