#include "repository/suppressions.hpp"

#include "db/statement.hpp"

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

void bind_where(db::Statement& statement, const SuppressionQuery& query) {
  statement.bind(query.include_lifted, like_pattern(query.search));
}

constexpr const char* iso = "'%Y-%m-%dT%H:%i:%sZ'";

}  // namespace

SuppressionPage list_suppressions(sql::Connection& connection, const SuppressionQuery& query) {
  SuppressionPage page;
  {
    db::Statement count(connection, std::string("SELECT COUNT(*) FROM address_suppressions s") + where_clause);
    bind_where(count, query);
    auto rows = count.query();
    rows.next();
    page.total = rows.read<std::uint64_t>();
  }
  db::Statement select(
      connection,
      std::string("SELECT s.email, s.reason, DATE_FORMAT(s.suppressed_at, ") + iso + "), DATE_FORMAT(s.lifted_at, " +
          iso + "), u.username, o.kind, o.source, o.status_code, o.diagnostic, DATE_FORMAT(o.occurred_at, " + iso +
          ")"
          " FROM address_suppressions s"
          " LEFT JOIN staff_users u ON u.id = s.lifted_by"
          " JOIN delivery_outcomes o ON o.id = (SELECT MAX(o2.id) FROM delivery_outcomes o2 WHERE o2.email = s.email)" +
          where_clause + " ORDER BY s.suppressed_at DESC, s.email" + (query.limit > 0 ? " LIMIT ? OFFSET ?" : ""));
  bind_where(select, query);
  if (query.limit > 0) select.bind(query.limit, query.offset);
  auto rows = select.query();
  while (rows.next()) {
    SuppressionEntry& row = page.rows.emplace_back();
    rows.read_into(row.email, row.reason, row.suppressed_at, row.lifted_at, row.lifted_by, row.last_kind,
                   row.last_source, row.last_status, row.last_diagnostic, row.last_at);
  }
  return page;
}

bool lift_suppression(sql::Connection& connection, const std::string& email, std::uint64_t staff_user_id) {
  return db::update(connection,
                    "UPDATE address_suppressions SET lifted_at = UTC_TIMESTAMP(3), lifted_by = ?"
                    " WHERE email = ? AND lifted_at IS NULL",
                    staff_user_id, email) == 1;
}

}  // namespace invites::repository
