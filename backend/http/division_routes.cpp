#include <nlohmann/json.hpp>

#include "invites/json_optional.hpp"

#include "http/api_error.hpp"
#include "http/request_fields.hpp"
#include "http/send_routes.hpp"
#include "repository/audit_log.hpp"
#include "repository/division_senders.hpp"

namespace invites::http {
namespace {

nlohmann::json division_json(const repository::DivisionSender& division) {
  return {{"id", division.id},
          {"name", division.name},
          {"default_from_email", json_or_null(division.default_from_email)},
          {"billing_default_from_email", json_or_null(division.billing_default_from_email)}};
}

}  // namespace

void register_division_routes(httplib::Server& server, RouteContext& context) {
  server.Get("/api/divisions", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::setup);
    auto lease = context.pool.acquire();
    auto divisions = nlohmann::json::array();
    for (const auto& division : repository::list_division_senders(*lease)) divisions.push_back(division_json(division));
    send_json(response, {{"divisions", std::move(divisions)}});
  });
  server.Put(R"(/api/divisions/([^/]+))", [&context](const httplib::Request& request, httplib::Response& response) {
    const auto session = context.auth.require(request, Permission::setup);
    const auto id = path_id(request.matches[1], "division");
    const auto body = parse_json_object(request);
    reject_unknown_keys(body, {"default_from_email"});
    if (!body.contains("default_from_email")) {
      throw ApiError(400, "invalid", "default_from_email: missing (an address, or null for the billing system's)",
                     std::string("default_from_email"));
    }
    std::optional<std::string> address = optional_string(body, "default_from_email");
    if (address) address = service::SenderPolicy::check_syntax(*address, "default_from_email");
    auto lease = context.pool.acquire();
    if (id > 0xffffffffu || !repository::find_division_sender(*lease, static_cast<Id>(id))) {
      throw ApiError(404, "not_found", "no such division");
    }
    repository::set_division_sender(*lease, static_cast<Id>(id), address, session.user_id);
    repository::record(*lease, session.user_id, "division.sender",
                       {{"division_id", id}, {"default_from_email", json_or_null(address)}});
    send_json(response, {{"division", division_json(*repository::find_division_sender(*lease, static_cast<Id>(id)))}});
  });
}

}  // namespace invites::http
