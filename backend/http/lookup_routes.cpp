#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "repository/lookups.hpp"
#include "repository/templates.hpp"

namespace invites::http {

void register_lookup_routes(httplib::Server& server, LoadRouteContext& context) {
  server.Get("/api/lookups", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::send_invites);
    // Read per request: the tables are small and sender addresses may change at any time.
    auto lease = context.pool.acquire();
    auto body = repository::load_lookups(*lease).to_json();
    // The Notification Template choice: active invitation templates (their
    // text comes with GET /api/templates).
    auto templates = nlohmann::json::array();
    for (const auto& stored : repository::list_templates(*lease, true)) {
      templates.push_back({{"id", stored.id}, {"name", stored.name}});
    }
    body["templates"] = std::move(templates);
    send_json(response, body);
  });
}

}  // namespace invites::http
