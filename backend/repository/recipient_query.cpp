#include "repository/recipient_query.hpp"

#include <memory>
#include <stdexcept>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "db/connection.hpp"
#include "invites/sql_filter.hpp"
#include "repository/snapshot_queries.hpp"

namespace invites::repository {

RecipientList query_recipients(sql::Connection& connection, const Filter& filter) {
  db::execute(connection, "COMMIT");
  db::execute(connection, snapshot_sql::begin_consistent_read);

  std::vector<RecipientRow> rows;
  {
    auto statement = db::prepare(connection, recipients_query(filter));
    std::unique_ptr<sql::ResultSet> result(statement->executeQuery());
    rows.reserve(result->rowsCount());
    while (result->next()) {
      auto group = parse_group(result->getString(1).asStdString());
      if (!group) throw std::runtime_error("recipients query returned an unknown group");
      rows.push_back({*group, result->getString(2).asStdString(), static_cast<std::uint32_t>(result->getUInt(3))});
    }
  }
  std::uint64_t skipped = 0;
  {
    auto statement = db::prepare(connection, skipped_invalid_count_query(filter));
    std::unique_ptr<sql::ResultSet> result(statement->executeQuery());
    if (result->next()) skipped = result->getUInt64(1);
  }
  db::execute(connection, "COMMIT");
  return finish_recipient_list(std::move(rows), skipped);
}

}  // namespace invites::repository
