#include "repository/templates.hpp"

#include <nlohmann/json.hpp>

#include "db/statement.hpp"

namespace invites::repository {
namespace {

// Followed by a WHERE or ORDER BY clause.
constexpr const char* select_columns =
    "SELECT id, type, name, active, subject, content_type, body, COALESCE(text_body, ''), "
    "DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ') FROM notification_templates ";

// One row of select_columns.
StoredTemplate read_template(db::Rows& rows) {
  StoredTemplate stored;
  std::string content_type;
  rows.read_into(stored.id, stored.type, stored.name, stored.active, stored.text.subject, content_type,
                 stored.text.body, stored.text.text_body, stored.updated_at);
  stored.text.content_type = parse_content_type(content_type).value_or(ContentType::html);
  return stored;
}

}  // namespace

// A stored copy must stay readable for as long as its job exists, so this
// format changes only compatibly with job_template_from_json; the API's form
// (http/template_json.cpp) is free to change with the API.
std::string job_template_json(const StoredTemplate& stored) {
  nlohmann::json json;
  json["id"] = stored.id;
  json["type"] = stored.type;
  json["name"] = stored.name;
  json["active"] = stored.active;
  json["updated_at"] = stored.updated_at;
  json["subject"] = stored.text.subject;
  json["content_type"] = content_type_name(stored.text.content_type);
  json["body"] = stored.text.body;
  json["text_body"] = stored.text.text_body;
  return json.dump();
}

StoredTemplate job_template_from_json(const std::string& text) {
  const auto json = nlohmann::json::parse(text);
  StoredTemplate stored;
  stored.id = json.at("id").get<std::uint32_t>();
  stored.name = json.at("name").get<std::string>();
  stored.text.subject = json.at("subject").get<std::string>();
  stored.text.content_type = parse_content_type(json.at("content_type").get<std::string>()).value_or(ContentType::html);
  stored.text.body = json.at("body").get<std::string>();
  stored.text.text_body = json.value("text_body", std::string());
  return stored;
}

std::vector<StoredTemplate> list_templates(sql::Connection& connection, bool active_only) {
  const std::string query = std::string(select_columns) +
                            (active_only ? "WHERE active = 1 AND type = ? ORDER BY name, id" : "ORDER BY name, id");
  db::Statement statement(connection, query);
  if (active_only) statement.bind(invitation_template_type);
  return std::move(statement).query().read_all(read_template);
}

std::optional<StoredTemplate> find_template(sql::Connection& connection, std::uint32_t id) {
  return db::query(connection, std::string(select_columns) + "WHERE id = ?", id).read_next(read_template);
}

bool template_named(sql::Connection& connection, const std::string& type, const std::string& name) {
  return db::query_row<int>(connection, "SELECT 1 FROM notification_templates WHERE type = ? AND name = ?", type, name)
      .has_value();
}

std::uint32_t save_template(sql::Connection& connection, const StoredTemplate& stored,
                            std::optional<std::uint64_t> staff_user_id) {
  // Both statements bind the same columns in the same order; the update adds the id.
  db::Statement statement(connection, stored.id == 0
                                          ? "INSERT INTO notification_templates (type, name, active, subject, "
                                            "content_type, body, text_body, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                                          : "UPDATE notification_templates SET type = ?, name = ?, active = ?, "
                                            "subject = ?, content_type = ?, body = ?, text_body = ?, updated_by = ? "
                                            "WHERE id = ?");
  statement.bind(stored.type, stored.name, stored.active, stored.text.subject,
                 content_type_name(stored.text.content_type), stored.text.body,
                 stored.text.text_body.empty() ? std::nullopt : std::optional<std::string>(stored.text.text_body),
                 staff_user_id);
  if (stored.id == 0) {
    statement.update();
    return static_cast<std::uint32_t>(db::last_insert_id(connection));
  }
  statement.bind(stored.id).update();
  return stored.id;
}

}  // namespace invites::repository
