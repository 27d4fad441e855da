#include "repository/contacts.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

namespace invites::repository {

std::optional<service::RecipientDetails> recipient_details(sql::Connection& connection, std::uint32_t contact_id,
                                                           const std::string& email) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "SELECT COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), a.account_number, a.name, d.name "
      "FROM contacts c JOIN accounts a ON a.id = c.account_id JOIN divisions d ON d.id = a.division_id "
      "WHERE c.id = ?"));
  statement->setUInt(1, contact_id);
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery());
  if (!row->next()) return std::nullopt;
  return service::RecipientDetails{email,
                                   row->getString(1).asStdString(),
                                   row->getString(2).asStdString(),
                                   row->getString(3).asStdString(),
                                   row->getString(4).asStdString(),
                                   row->getString(5).asStdString()};
}

}  // namespace invites::repository
