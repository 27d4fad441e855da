#include "repository/templates.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <nlohmann/json.hpp>

#include "repository/row_values.hpp"

namespace invites::repository {
namespace {

constexpr const char* select_columns =
    "SELECT id, type, name, active, subject, content_type, body, COALESCE(text_body, ''), "
    "DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ') FROM notification_templates ";

StoredTemplate read_row(sql::ResultSet& row) {
  StoredTemplate stored;
  stored.id = row.getUInt(1);
  stored.type = row.getString(2).asStdString();
  stored.name = row.getString(3).asStdString();
  stored.active = row.getBoolean(4);
  stored.text.subject = row.getString(5).asStdString();
  stored.text.content_type = parse_content_type(row.getString(6).asStdString()).value_or(ContentType::html);
  stored.text.body = row.getString(7).asStdString();
  stored.text.text_body = row.getString(8).asStdString();
  stored.updated_at = row.getString(9).asStdString();
  return stored;
}

std::vector<StoredTemplate> read_all(sql::PreparedStatement& statement) {
  std::unique_ptr<sql::ResultSet> rows(statement.executeQuery());
  std::vector<StoredTemplate> out;
  while (rows->next()) out.push_back(read_row(*rows));
  return out;
}

}  // namespace

nlohmann::json template_to_json(const StoredTemplate& stored) {
  return {{"id", stored.id},
          {"type", stored.type},
          {"name", stored.name},
          {"active", stored.active},
          {"subject", stored.text.subject},
          {"content_type", content_type_name(stored.text.content_type)},
          {"body", stored.text.body},
          {"text_body", stored.text.text_body},
          {"updated_at", stored.updated_at}};
}

std::vector<StoredTemplate> list_templates(sql::Connection& connection, bool active_only) {
  const std::string query = std::string(select_columns) +
                            (active_only ? "WHERE active = 1 AND type = ? ORDER BY name, id" : "ORDER BY name, id");
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(query));
  if (active_only) statement->setString(1, invitation_template_type);
  return read_all(*statement);
}

std::optional<StoredTemplate> find_template(sql::Connection& connection, std::uint32_t id) {
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement(std::string(select_columns) + "WHERE id = ?"));
  statement->setUInt(1, id);
  auto rows = read_all(*statement);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::uint32_t save_template(sql::Connection& connection, const StoredTemplate& stored,
                            std::optional<std::uint64_t> staff_user_id) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      stored.id == 0 ? "INSERT INTO notification_templates (type, name, active, subject, content_type, body, "
                       "text_body, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                     : "UPDATE notification_templates SET type = ?, name = ?, active = ?, subject = ?, "
                       "content_type = ?, body = ?, text_body = ?, updated_by = ? WHERE id = ?"));
  statement->setString(1, stored.type);
  statement->setString(2, stored.name);
  statement->setBoolean(3, stored.active);
  statement->setString(4, stored.text.subject);
  statement->setString(5, std::string(content_type_name(stored.text.content_type)));
  statement->setString(6, stored.text.body);
  set_nullable(*statement, 7,
               stored.text.text_body.empty() ? std::nullopt : std::optional<std::string>(stored.text.text_body));
  set_nullable(*statement, 8, staff_user_id);
  if (stored.id == 0) {
    statement->executeUpdate();
    return static_cast<std::uint32_t>(last_insert_id(connection));
  }
  statement->setUInt(9, stored.id);
  statement->executeUpdate();
  return stored.id;
}

}  // namespace invites::repository
