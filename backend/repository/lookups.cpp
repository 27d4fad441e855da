#include "repository/lookups.hpp"

#include "db/statement.hpp"

namespace invites::repository {
namespace {

constexpr const char* select_divisions =
    "SELECT d.id, d.name, COALESCE(s.from_email, d.default_from_email) FROM divisions d "
    "LEFT JOIN division_senders s ON s.division_id = d.id ORDER BY d.name, d.id";

std::vector<LookupItem> read(sql::Connection& connection, const char* query, bool with_from) {
  auto rows = db::query(connection, query);
  std::vector<LookupItem> items;
  while (rows.next()) {
    LookupItem item;
    rows.read_into(item.id, item.name);
    if (with_from) item.default_from_email = rows.read<std::optional<std::string>>();
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

KnownIds Lookups::known_ids() const {
  KnownIds known;
  for (const auto& i : divisions) known.divisions.insert(i.id);
  for (const auto& i : account_classes) known.account_classes.insert(i.id);
  for (const auto& i : bill_groups) known.bill_groups.insert(i.id);
  for (const auto& i : account_sources) known.account_sources.insert(i.id);
  for (const auto& i : site_sources) known.site_sources.insert(i.id);
  return known;
}

Lookups load_lookups(sql::Connection& connection) {
  Lookups lookups;
  lookups.divisions = read(connection, select_divisions, true);
  lookups.account_classes = read(connection, "SELECT id, name FROM account_classes ORDER BY name, id", false);
  lookups.bill_groups = read(connection, "SELECT id, name FROM bill_groups ORDER BY name, id", false);
  lookups.account_sources = read(connection, "SELECT id, name FROM account_sources ORDER BY name, id", false);
  lookups.site_sources = read(connection, "SELECT id, name FROM site_sources ORDER BY name, id", false);
  return lookups;
}

}  // namespace invites::repository
