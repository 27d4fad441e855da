#include <cppconn/exception.h>
#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/request_fields.hpp"
#include "http/send_routes.hpp"
#include "http/template_access.hpp"
#include "http/template_json.hpp"
#include "repository/audit_log.hpp"
#include "repository/templates.hpp"

namespace invites::http {
namespace {

constexpr int duplicate_key_error = 1062;
constexpr std::size_t max_name_bytes = 100;
constexpr std::size_t max_body_bytes = 60000;

// The template in the body, checked: names the field and, for Mustache
// problems, the line.
repository::StoredTemplate template_from_body(const nlohmann::json& body) {
  reject_unknown_keys(body, {"name", "type", "active", "subject", "content_type", "body", "text_body"});
  repository::StoredTemplate stored;
  stored.name = required_string(body, "name");
  if (stored.name.find_first_not_of(" \t") == std::string::npos) {
    throw ApiError(400, "invalid", "name: enter a name for the template", std::string("name"));
  }
  if (stored.name.size() > max_name_bytes) {
    throw ApiError(400, "invalid", "name: at most 100 characters", std::string("name"));
  }
  if (const auto type = optional_string(body, "type"); type && *type != repository::invitation_template_type) {
    throw ApiError(400, "invalid", "type: only portal_invitation templates exist", std::string("type"));
  }
  stored.active = optional_bool(body, "active").value_or(true);
  stored.text.subject = required_string(body, "subject");
  const auto content_type = optional_string(body, "content_type").value_or("text/html");
  const auto parsed = parse_content_type(content_type);
  if (!parsed) throw ApiError(400, "invalid", "content_type: text/html or text/plain", std::string("content_type"));
  stored.text.content_type = *parsed;
  stored.text.body = required_string(body, "body");
  stored.text.text_body = optional_string(body, "text_body").value_or("");
  if (stored.text.body.size() > max_body_bytes || stored.text.text_body.size() > max_body_bytes) {
    throw ApiError(400, "invalid", "body: at most 60,000 bytes", std::string("body"));
  }
  try {
    require_invite_link(stored.text);
  } catch (const TemplateError& error) {
    throw_template_invalid(error);
  }
  return stored;
}

void save(RouteContext& context, const httplib::Request& request, httplib::Response& response,
          std::optional<std::uint32_t> id) {
  const auto session = context.auth.require(request, Permission::setup);
  auto stored = template_from_body(parse_json_object(request));
  auto lease = context.pool.acquire();
  if (id) {
    if (!repository::find_template(*lease, *id)) throw ApiError(404, "not_found", "no such template");
    stored.id = *id;
  }
  try {
    stored.id = repository::save_template(*lease, stored, session.user_id);
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != duplicate_key_error) throw;
    throw ApiError(400, "invalid", "name: a template named \"" + stored.name + "\" exists already",
                   std::string("name"));
  }
  repository::record(*lease, session.user_id, id ? "template.update" : "template.create",
                     {{"template_id", stored.id}, {"name", stored.name}, {"active", stored.active}});
  send_json(response, {{"template", template_to_json(*repository::find_template(*lease, stored.id))}}, id ? 200 : 201);
}

}  // namespace

void register_template_routes(httplib::Server& server, RouteContext& context) {
  server.Get("/api/templates", [&context](const httplib::Request& request, httplib::Response& response) {
    const auto session = context.auth.require_session(request);
    if (!session.has(Permission::send_invites) && !session.has(Permission::setup)) {
      throw ApiError(403, "forbidden", "this needs permission 390 (Send Account Portal Invitations) or 120 (Setup)");
    }
    auto lease = context.pool.acquire();
    // Senders see the active templates; setup sees all of them.
    auto templates = nlohmann::json::array();
    for (const auto& stored : repository::list_templates(*lease, !session.has(Permission::setup))) {
      templates.push_back(template_to_json(stored));
    }
    auto fields = nlohmann::json::array();
    for (const auto& field : merge_fields()) {
      fields.push_back({{"name", field.name}, {"description", field.description}, {"example", field.example}});
    }
    send_json(response, {{"templates", std::move(templates)}, {"merge_fields", std::move(fields)}});
  });
  server.Post("/api/templates", [&context](const httplib::Request& request, httplib::Response& response) {
    save(context, request, response, std::nullopt);
  });
  server.Put(R"(/api/templates/([^/]+))", [&context](const httplib::Request& request, httplib::Response& response) {
    const auto id = path_id(request.matches[1], "template");
    if (id > 0xffffffffu) throw ApiError(404, "not_found", "no such template");
    save(context, request, response, static_cast<std::uint32_t>(id));
  });
}

}  // namespace invites::http
