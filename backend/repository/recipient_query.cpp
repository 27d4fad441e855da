#include "repository/recipient_query.hpp"

#include <stdexcept>

#include "db/connection.hpp"
#include "db/statement.hpp"
#include "invites/sql_filter.hpp"
#include "repository/snapshot_queries.hpp"

namespace invites::repository {

RecipientList query_recipients(sql::Connection& connection, const Filter& filter) {
  db::execute(connection, "COMMIT");
  db::execute(connection, snapshot_sql::begin_consistent_read);

  std::vector<RecipientRow> rows;
  {
    auto result = db::Statement(connection, recipients_query(filter)).query();
    rows.reserve(result.count());
    while (result.next()) {
      auto [group_text, email, contact_id] = result.read<std::string, std::string, std::uint32_t>();
      const auto group = parse_group(group_text);
      if (!group) throw std::runtime_error("recipients query returned an unknown group");
      rows.push_back({*group, std::move(email), contact_id});
    }
  }
  std::uint64_t skipped = 0;
  {
    auto result = db::Statement(connection, skipped_invalid_count_query(filter)).query();
    if (result.next()) skipped = result.read<std::uint64_t>();
  }
  db::execute(connection, "COMMIT");
  return finish_recipient_list(std::move(rows), skipped);
}

}  // namespace invites::repository
