#include "dataset_writer.hpp"

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <cppconn/prepared_statement.h>

#include "db/connection.hpp"

namespace invites::testing {
namespace {

using Value = std::variant<std::monostate, std::int64_t, std::string>;  // monostate = NULL
using Row = std::vector<Value>;

Value id_or_null(Id id) { return id == 0 ? Value{} : Value{std::int64_t{id}}; }

std::string decimal_of_cents(std::int64_t cents) {
  std::string sign = cents < 0 ? "-" : "";
  std::int64_t magnitude = cents < 0 ? -cents : cents;
  std::string fraction = std::to_string(magnitude % 100);
  return sign + std::to_string(magnitude / 100) + "." + (fraction.size() == 1 ? "0" : "") + fraction;
}

// Multi-row INSERTs of up to `batch` rows; `placeholders` is one row's
// value list, e.g. "?, ?, FROM_UNIXTIME(?)". Every value is bound.
void insert_rows(sql::Connection& connection, const std::string& table, const std::string& columns,
                 const std::string& placeholders, const std::vector<Row>& rows) {
  constexpr std::size_t batch = 500;
  const std::string one_row = "(" + placeholders + ")";
  for (std::size_t start = 0; start < rows.size(); start += batch) {
    std::size_t end = std::min(rows.size(), start + batch);
    std::string sql = "INSERT INTO " + table + " (" + columns + ") VALUES ";
    for (std::size_t r = start; r < end; ++r) sql += (r == start ? "" : ", ") + one_row;
    std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(sql));
    unsigned index = 1;
    for (std::size_t r = start; r < end; ++r) {
      for (const Value& value : rows[r]) {
        if (std::holds_alternative<std::monostate>(value))
          statement->setNull(index, 0);
        else if (auto* number = std::get_if<std::int64_t>(&value))
          statement->setInt64(index, *number);
        else
          statement->setString(index, std::get<std::string>(value));
        ++index;
      }
    }
    statement->executeUpdate();
  }
}

}  // namespace

void write_dataset(sql::Connection& connection, const Dataset& data) {
  std::vector<Row> rows;
  auto named = [&](const std::string& table, const std::vector<NamedRow>& items) {
    rows.clear();
    for (const auto& item : items) rows.push_back({std::int64_t{item.id}, item.name});
    insert_rows(connection, table, "id, name", "?, ?", rows);
  };
  rows.clear();
  for (const auto& d : data.divisions)
    rows.push_back({std::int64_t{d.id}, d.name, d.default_from_email ? Value{*d.default_from_email} : Value{}});
  insert_rows(connection, "divisions", "id, name, default_from_email", "?, ?, ?", rows);
  named("account_classes", data.account_classes);
  named("bill_groups", data.bill_groups);
  named("account_sources", data.account_sources);
  named("site_sources", data.site_sources);

  rows.clear();
  for (const auto& a : data.accounts)
    rows.push_back({std::int64_t{a.id}, a.number, a.name, std::int64_t{a.division_id}, id_or_null(a.account_class_id),
                    id_or_null(a.bill_group_id), id_or_null(a.account_source_id), decimal_of_cents(a.balance_cents),
                    std::int64_t{a.autopay}});
  insert_rows(
      connection, "accounts",
      "id, account_number, name, division_id, account_class_id, bill_group_id, account_source_id, balance, autopay",
      "?, ?, ?, ?, ?, ?, ?, ?, ?", rows);
  rows.clear();
  for (const auto& s : data.sites)
    rows.push_back({std::int64_t{s.id}, std::int64_t{s.account_id}, id_or_null(s.site_source_id), s.address});
  insert_rows(connection, "sites", "id, account_id, site_source_id, address", "?, ?, ?, ?", rows);
  rows.clear();
  for (const auto& v : data.services)
    rows.push_back({std::int64_t{v.id}, std::int64_t{v.site_id}, std::int64_t{v.active}});
  insert_rows(connection, "services", "id, site_id, active", "?, ?, ?", rows);
  rows.clear();
  for (const auto& c : data.contacts)
    rows.push_back({std::int64_t{c.id}, std::int64_t{c.account_id}, c.first_name, c.last_name,
                    c.email ? Value{*c.email} : Value{}, std::int64_t{c.is_billing}});
  insert_rows(connection, "contacts", "id, account_id, first_name, last_name, email, is_billing", "?, ?, ?, ?, ?, ?",
              rows);
  rows.clear();
  for (const auto& p : data.portal_users)
    rows.push_back(
        {p.email, std::string(portal_status_name(p.status)), p.last_invited_at ? Value{p.last_invited_at} : Value{}});
  insert_rows(connection, "portal_users", "email, status, last_invited_at", "?, ?, FROM_UNIXTIME(?)", rows);
  // Each suppression points at the outcome that caused it (a hard bounce here).
  rows.clear();
  for (const auto& s : data.suppressions) rows.push_back({s.email, "outcome:" + s.email});
  insert_rows(connection, "delivery_outcomes", "email, kind, source, dedupe_key", "?, 'hard_bounce', 'mailbox', ?",
              rows);
  rows.clear();
  for (const auto& s : data.suppressions) rows.push_back({s.email, "outcome:" + s.email, std::int64_t{s.lifted}});
  insert_rows(connection, "address_suppressions", "email, reason, last_outcome_id, suppressed_at, lifted_at",
              "?, 'hard_bounce', (SELECT o.id FROM delivery_outcomes o WHERE o.dedupe_key = ?), UTC_TIMESTAMP(3), "
              "IF(?, UTC_TIMESTAMP(3), NULL)",
              rows);
}

}  // namespace invites::testing
