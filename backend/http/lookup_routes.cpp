#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "repository/lookups.hpp"
#include "repository/templates.hpp"

namespace invites::http {
namespace {

nlohmann::json items_json(const std::vector<repository::LookupItem>& items, bool with_from) {
  auto out = nlohmann::json::array();
  for (const auto& item : items) {
    nlohmann::json row{{"id", item.id}, {"name", item.name}};
    if (with_from)
      row["default_from_email"] = item.default_from_email ? nlohmann::json(*item.default_from_email) : nullptr;
    out.push_back(std::move(row));
  }
  return out;
}

// {"divisions":[{id,name,default_from_email}], "account_classes":[{id,name}], ...}
nlohmann::json lookups_json(const repository::Lookups& lookups) {
  return {{"divisions", items_json(lookups.divisions, true)},
          {"account_classes", items_json(lookups.account_classes, false)},
          {"bill_groups", items_json(lookups.bill_groups, false)},
          {"account_sources", items_json(lookups.account_sources, false)},
          {"site_sources", items_json(lookups.site_sources, false)}};
}

}  // namespace

void register_lookup_routes(httplib::Server& server, RouteContext& context) {
  server.Get("/api/lookups", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::send_invites);
    // Read per request: the tables are small and sender addresses may change at any time.
    auto lease = context.pool.acquire();
    auto body = lookups_json(repository::load_lookups(*lease));
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
