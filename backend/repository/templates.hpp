#pragma once
// Notification templates (table notification_templates, docs/design.md §5, §6).
// Templates are deactivated, never deleted: jobs keep pointing at them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>
#include <nlohmann/json_fwd.hpp>

#include "invites/template.hpp"

namespace invites::repository {

inline constexpr const char* invitation_template_type = "portal_invitation";

struct StoredTemplate {
  std::uint32_t id = 0;
  std::string type = invitation_template_type;
  std::string name;
  bool active = true;
  TemplateText text;
  std::string updated_at;  // ISO 8601 UTC
};

// The template as JSON: the form a job keeps of its template
// (send_jobs.template_json) and the one the API returns.
nlohmann::json template_to_json(const StoredTemplate& stored);

// All templates by name (active_only: only active invitation templates).
std::vector<StoredTemplate> list_templates(sql::Connection& connection, bool active_only);
std::optional<StoredTemplate> find_template(sql::Connection& connection, std::uint32_t id);
// True when a template of this type and name exists.
bool template_named(sql::Connection& connection, const std::string& type, const std::string& name);
// Inserts (id 0) or updates; returns the id. The caller validates first.
// Throws sql::SQLException (1062 for a duplicate name).
std::uint32_t save_template(sql::Connection& connection, const StoredTemplate& stored,
                            std::optional<std::uint64_t> staff_user_id);

}  // namespace invites::repository
