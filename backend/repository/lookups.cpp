#include "repository/lookups.hpp"

#include <memory>

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <nlohmann/json.hpp>

namespace invites::repository {
namespace {

std::vector<LookupItem> read(sql::Connection& connection, const char* query, bool with_from) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
  std::vector<LookupItem> items;
  while (rows->next()) {
    LookupItem item{static_cast<Id>(rows->getUInt(1)), rows->getString(2).asStdString(), std::nullopt};
    if (with_from && !rows->isNull(3)) item.default_from_email = rows->getString(3).asStdString();
    items.push_back(std::move(item));
  }
  return items;
}

nlohmann::json items_json(const std::vector<LookupItem>& items, bool with_from) {
  auto out = nlohmann::json::array();
  for (const auto& item : items) {
    nlohmann::json row{{"id", item.id}, {"name", item.name}};
    if (with_from)
      row["default_from_email"] = item.default_from_email ? nlohmann::json(*item.default_from_email) : nullptr;
    out.push_back(std::move(row));
  }
  return out;
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

nlohmann::json Lookups::to_json() const {
  return {{"divisions", items_json(divisions, true)},
          {"account_classes", items_json(account_classes, false)},
          {"bill_groups", items_json(bill_groups, false)},
          {"account_sources", items_json(account_sources, false)},
          {"site_sources", items_json(site_sources, false)}};
}

Lookups load_lookups(sql::Connection& connection) {
  Lookups lookups;
  lookups.divisions = read(connection,
                           "SELECT d.id, d.name, COALESCE(s.from_email, d.default_from_email) FROM divisions d "
                           "LEFT JOIN division_senders s ON s.division_id = d.id ORDER BY d.name, d.id",
                           true);
  lookups.account_classes = read(connection, "SELECT id, name FROM account_classes ORDER BY name, id", false);
  lookups.bill_groups = read(connection, "SELECT id, name FROM bill_groups ORDER BY name, id", false);
  lookups.account_sources = read(connection, "SELECT id, name FROM account_sources ORDER BY name, id", false);
  lookups.site_sources = read(connection, "SELECT id, name FROM site_sources ORDER BY name, id", false);
  return lookups;
}

}  // namespace invites::repository
