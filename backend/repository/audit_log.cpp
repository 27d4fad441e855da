#include "repository/audit_log.hpp"

#include <memory>
#include <string>

#include <cppconn/prepared_statement.h>

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

}  // namespace invites::repository
