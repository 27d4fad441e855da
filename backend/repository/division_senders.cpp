#include "repository/division_senders.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "repository/row_values.hpp"

namespace invites::repository {
namespace {

constexpr const char* select_senders =
    "SELECT d.id, d.name, COALESCE(s.from_email, d.default_from_email), d.default_from_email "
    "FROM divisions d LEFT JOIN division_senders s ON s.division_id = d.id ";

std::vector<DivisionSender> read_all(sql::PreparedStatement& statement) {
  std::unique_ptr<sql::ResultSet> rows(statement.executeQuery());
  std::vector<DivisionSender> out;
  while (rows->next()) {
    out.push_back({static_cast<Id>(rows->getUInt(1)), rows->getString(2).asStdString(), nullable_string(*rows, 3),
                   nullable_string(*rows, 4)});
  }
  return out;
}

}  // namespace

std::vector<DivisionSender> list_division_senders(sql::Connection& connection) {
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement(std::string(select_senders) + "ORDER BY d.name, d.id"));
  return read_all(*statement);
}

std::optional<DivisionSender> find_division_sender(sql::Connection& connection, Id division_id) {
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement(std::string(select_senders) + "WHERE d.id = ?"));
  statement->setUInt(1, division_id);
  auto rows = read_all(*statement);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

void set_division_sender(sql::Connection& connection, Id division_id, const std::optional<std::string>& from_email,
                         std::optional<std::uint64_t> staff_user_id) {
  if (!from_email) {
    std::unique_ptr<sql::PreparedStatement> statement(
        connection.prepareStatement("DELETE FROM division_senders WHERE division_id = ?"));
    statement->setUInt(1, division_id);
    statement->executeUpdate();
    return;
  }
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "INSERT INTO division_senders (division_id, from_email, updated_by) VALUES (?, ?, ?) "
      "ON DUPLICATE KEY UPDATE from_email = VALUES(from_email), updated_by = VALUES(updated_by)"));
  statement->setUInt(1, division_id);
  statement->setString(2, *from_email);
  set_nullable(*statement, 3, staff_user_id);
  statement->executeUpdate();
}

bool is_division_sender(sql::Connection& connection, const std::string& address) {
  // Compared case-insensitively (the column collation), as mail systems compare domains.
  std::unique_ptr<sql::PreparedStatement> statement(
      connection.prepareStatement("SELECT 1 FROM divisions d LEFT JOIN division_senders s ON s.division_id = d.id "
                                  "WHERE COALESCE(s.from_email, d.default_from_email) = ? LIMIT 1"));
  statement->setString(1, address);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  return rows->next();
}

}  // namespace invites::repository
