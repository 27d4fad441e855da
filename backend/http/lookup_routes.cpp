#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "repository/lookups.hpp"

namespace invites::http {

void register_lookup_routes(httplib::Server& server, LoadRouteContext& context) {
  server.Get("/api/lookups", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::send_invites);
    // Read per request: the tables are small and sender addresses may change at any time.
    auto lease = context.pool.acquire();
    const auto lookups = repository::load_lookups(*lease);
    send_json(response, lookups.to_json());
  });
}

}  // namespace invites::http
