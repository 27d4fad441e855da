#include "repository/snapshot_loader.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/connection.hpp"
#include "repository/snapshot_queries.hpp"

namespace invites::repository {
namespace {

constexpr unsigned cancel_check_rows = 4096;

void check(const std::atomic<bool>& cancel) {
  if (cancel.load(std::memory_order_relaxed)) throw SnapshotLoadCancelled();
}

// Streams a result row by row instead of buffering it whole on the client.
template <typename OnRow>
void for_each_row(sql::Connection& connection, const char* query, const std::atomic<bool>& cancel, OnRow on_row) {
  check(cancel);
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  statement->setResultSetType(sql::ResultSet::TYPE_FORWARD_ONLY);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
  unsigned until_check = cancel_check_rows;
  while (rows->next()) {
    on_row(*rows);
    if (--until_check == 0) {
      check(cancel);
      until_check = cancel_check_rows;
    }
  }
}

Id id_at(sql::ResultSet& row, int column) { return static_cast<Id>(row.getUInt(column)); }

template <typename T>
void sort_unique(std::vector<T>& v) {
  if (!std::is_sorted(v.begin(), v.end())) std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  v.shrink_to_fit();
}

}  // namespace

Snapshot load_snapshot(sql::Connection& connection) {
  static const std::atomic<bool> never{false};
  return load_snapshot(connection, never);
}

Snapshot load_snapshot(sql::Connection& connection, const std::atomic<bool>& cancel) {
  db::execute(connection, "COMMIT");
  db::execute(connection, snapshot_sql::begin_consistent_read);
  std::int64_t generated_at = 0;
  for_each_row(connection, snapshot_sql::now, cancel, [&](sql::ResultSet& row) { generated_at = row.getInt64(1); });

  // The per-account sets first, as sorted compact vectors, so that each
  // account row can be completed and appended as it arrives.
  std::vector<Id> with_active_service;
  for_each_row(connection, snapshot_sql::accounts_with_active_service, cancel,
               [&](sql::ResultSet& row) { with_active_service.push_back(id_at(row, 1)); });
  sort_unique(with_active_service);
  std::vector<std::pair<Id, Id>> site_sources;  // (account id, site source id)
  for_each_row(connection, snapshot_sql::account_site_sources, cancel,
               [&](sql::ResultSet& row) { site_sources.emplace_back(id_at(row, 1), id_at(row, 2)); });
  sort_unique(site_sources);

  SnapshotBuilder builder;
  std::vector<Id> sources;
  for_each_row(connection, snapshot_sql::accounts, cancel, [&](sql::ResultSet& row) {
    AccountRowRef account;
    account.id = id_at(row, 1);
    account.division_id = id_at(row, 2);
    account.account_class_id = id_at(row, 3);
    account.bill_group_id = id_at(row, 4);
    account.account_source_id = id_at(row, 5);
    account.balance_due = row.getBoolean(6);
    account.autopay = row.getBoolean(7);
    account.has_active_service = std::binary_search(with_active_service.begin(), with_active_service.end(), account.id);
    const std::string number = row.getString(8).asStdString();
    const std::string name = row.getString(9).asStdString();
    account.account_number = number;
    account.name = name;
    sources.clear();
    auto it = std::lower_bound(site_sources.begin(), site_sources.end(), std::pair<Id, Id>{account.id, 0});
    for (; it != site_sources.end() && it->first == account.id; ++it) sources.push_back(it->second);
    builder.append_account(account, sources);
  });
  std::vector<Id>().swap(with_active_service);
  std::vector<std::pair<Id, Id>>().swap(site_sources);

  for_each_row(connection, snapshot_sql::contacts, cancel, [&](sql::ResultSet& row) {
    ContactRowRef contact;
    contact.id = id_at(row, 1);
    contact.account_id = id_at(row, 2);
    std::string email;
    if (!row.isNull(3)) {
      email = row.getString(3).asStdString();
      contact.email = email;
    }
    const std::string first_name = row.getString(4).asStdString();
    const std::string last_name = row.getString(5).asStdString();
    contact.first_name = first_name;
    contact.last_name = last_name;
    contact.is_billing = row.getBoolean(6);
    builder.append_contact(contact);
  });
  for_each_row(connection, snapshot_sql::portal_users, cancel, [&](sql::ResultSet& row) {
    const std::string email = row.getString(1).asStdString();
    const auto status = parse_portal_status(row.getString(2).asStdString()).value_or(PortalStatus::none);
    builder.append_portal_user(email, status, row.getInt64(3));
  });
  for_each_row(connection, snapshot_sql::suppressed_addresses, cancel,
               [&](sql::ResultSet& row) { builder.append_suppression(row.getString(1).asStdString()); });
  db::execute(connection, "COMMIT");
  check(cancel);
  return std::move(builder).build(generated_at);
}

}  // namespace invites::repository
