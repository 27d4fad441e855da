#include "repository/suppressions.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "repository/row_values.hpp"

namespace invites::repository {
namespace {

// LIKE's wildcards in a search are plain characters.
std::string like_pattern(const std::string& search) {
  std::string pattern = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  return pattern + "%";
}

constexpr const char* where_clause = " WHERE (? OR s.lifted_at IS NULL) AND s.email LIKE ?";

void bind_where(sql::PreparedStatement& statement, const SuppressionQuery& query) {
  statement.setBoolean(1, query.include_lifted);
  statement.setString(2, like_pattern(query.search));
}

constexpr const char* iso = "'%Y-%m-%dT%H:%i:%sZ'";

}  // namespace

SuppressionPage list_suppressions(sql::Connection& connection, const SuppressionQuery& query) {
  SuppressionPage page;
  {
    std::unique_ptr<sql::PreparedStatement> count(
        connection.prepareStatement(std::string("SELECT COUNT(*) FROM address_suppressions s") + where_clause));
    bind_where(*count, query);
    std::unique_ptr<sql::ResultSet> row(count->executeQuery());
    row->next();
    page.total = row->getUInt64(1);
  }
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      std::string("SELECT s.email, s.reason, DATE_FORMAT(s.suppressed_at, ") + iso + "), DATE_FORMAT(s.lifted_at, " +
      iso + "), u.username, o.kind, o.source, o.status_code, o.diagnostic, DATE_FORMAT(o.occurred_at, " + iso +
      ")"
      " FROM address_suppressions s"
      " LEFT JOIN staff_users u ON u.id = s.lifted_by"
      " JOIN delivery_outcomes o ON o.id = (SELECT MAX(o2.id) FROM delivery_outcomes o2 WHERE o2.email = s.email)" +
      where_clause + " ORDER BY s.suppressed_at DESC, s.email" + (query.limit > 0 ? " LIMIT ? OFFSET ?" : "")));
  bind_where(*statement, query);
  if (query.limit > 0) {
    statement->setUInt64(3, query.limit);
    statement->setUInt64(4, query.offset);
  }
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  while (rows->next()) {
    page.rows.push_back({rows->getString(1).asStdString(), rows->getString(2).asStdString(),
                         rows->getString(3).asStdString(), nullable_string(*rows, 4), nullable_string(*rows, 5),
                         rows->getString(6).asStdString(), rows->getString(7).asStdString(),
                         rows->getString(8).asStdString(), rows->getString(9).asStdString(),
                         rows->getString(10).asStdString()});
  }
  return page;
}

bool lift_suppression(sql::Connection& connection, const std::string& email, std::uint64_t staff_user_id) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      "UPDATE address_suppressions SET lifted_at = UTC_TIMESTAMP(3), lifted_by = ? WHERE email = ? AND lifted_at IS "
      "NULL"));
  statement->setUInt64(1, staff_user_id);
  statement->setString(2, email);
  return statement->executeUpdate() == 1;
}

}  // namespace invites::repository
