#include "repository/recipient_query.hpp"

#include <stdexcept>

#include "db/connection.hpp"
#include "db/statement.hpp"
#include "invites/sql_filter.hpp"
#include "repository/snapshot_queries.hpp"
#include "repository/stored_enums.hpp"

namespace invites::repository {
namespace {

std::uint64_t count_skipped_invalid(sql::Connection& connection, const Filter& filter) {
  auto result = db::Statement(connection, skipped_invalid_count_query(filter)).query();
  return result.next() ? result.read<std::uint64_t>() : 0;
}

}  // namespace

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
  const std::uint64_t skipped = count_skipped_invalid(connection, filter);
  db::execute(connection, "COMMIT");
  return finish_recipient_list(std::move(rows), skipped);
}

Counts count_recipients(sql::Connection& connection, const Filter& filter) {
  db::execute(connection, "COMMIT");
  db::execute(connection, snapshot_sql::begin_consistent_read);
  Counts counts;
  {
    auto result = db::Statement(connection, recipient_counts_query(filter)).query();
    while (result.next()) {
      const auto [group, count] = result.read<Group, std::uint64_t>();
      counts.of(group) = count;
    }
  }
  counts.skipped_invalid_email = count_skipped_invalid(connection, filter);
  db::execute(connection, "COMMIT");
  return counts;
}

}  // namespace invites::repository
