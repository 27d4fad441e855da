#include "repository/audit_log.hpp"

#include <memory>
#include <string>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "repository/row_values.hpp"

namespace invites::repository {

void record(sql::Connection& connection, std::optional<std::uint64_t> staff_user_id, std::string_view action,
            const nlohmann::json& detail) {
  const std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "INSERT INTO audit_log (at, staff_user_id, action, detail) VALUES (UTC_TIMESTAMP(3), ?, ?, ?)"));
  if (staff_user_id) {
    statement->setUInt64(1, *staff_user_id);
  } else {
    statement->setNull(1, 0);
  }
  statement->setString(2, std::string(action));
  // Invalid UTF-8 in a detail value is replaced rather than failing the insert.
  statement->setString(3, detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  statement->executeUpdate();
}

std::vector<AuditEntry> recent_entries(sql::Connection& connection, std::size_t limit, std::uint64_t before) {
  const std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%s.%fZ'), u.username, a.action, a.detail FROM audit_log a "
      "LEFT JOIN staff_users u ON u.id = a.staff_user_id WHERE (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?"));
  statement->setUInt64(1, before);
  statement->setUInt64(2, before);
  statement->setUInt64(3, limit);
  const std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  std::vector<AuditEntry> entries;
  while (rows->next()) {
    AuditEntry entry{rows->getUInt64(1), rows->getString(2).asStdString(), nullable_string(*rows, 3),
                     rows->getString(4).asStdString(), nullptr};
    if (!rows->isNull(5)) entry.detail = nlohmann::json::parse(rows->getString(5).asStdString(), nullptr, false);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace invites::repository
