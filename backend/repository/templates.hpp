#pragma once
// Notification templates (table notification_templates, docs/design.md §5, §6).
// Templates are deactivated, never deleted: jobs keep pointing at them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

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

// The copy of its template a job keeps (send_jobs.template_json): written
// when the job is created, read back by the sender. (The API's form of a
// template is http/template_json.hpp.)
std::string job_template_json(const StoredTemplate& stored);
StoredTemplate job_template_from_json(const std::string& text);

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
