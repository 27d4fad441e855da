#include "repository/snapshot_loader.hpp"

#include <memory>
#include <unordered_map>

#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/connection.hpp"
#include "repository/snapshot_queries.hpp"

namespace invites::repository {
namespace {

// Streams a result row by row instead of buffering it whole on the client.
template <typename OnRow>
void for_each_row(sql::Connection& connection, const char* query, OnRow on_row) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  statement->setResultSetType(sql::ResultSet::TYPE_FORWARD_ONLY);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
  while (rows->next()) on_row(*rows);
}

Id id_at(sql::ResultSet& row, int column) { return static_cast<Id>(row.getUInt(column)); }

}  // namespace

Snapshot load_snapshot(sql::Connection& connection) {
  db::execute(connection, "COMMIT");
  db::execute(connection, snapshot_sql::begin_consistent_read);
  std::int64_t generated_at = 0;
  for_each_row(connection, snapshot_sql::now, [&](sql::ResultSet& row) { generated_at = row.getInt64(1); });

  std::unordered_map<Id, AccountRecord> accounts;
  for_each_row(connection, snapshot_sql::accounts, [&](sql::ResultSet& row) {
    AccountRecord account;
    account.id = id_at(row, 1);
    account.division_id = id_at(row, 2);
    account.account_class_id = id_at(row, 3);
    account.bill_group_id = id_at(row, 4);
    account.account_source_id = id_at(row, 5);
    account.balance_due = row.getBoolean(6);
    account.autopay = row.getBoolean(7);
    account.account_number = row.getString(8).asStdString();
    account.name = row.getString(9).asStdString();
    accounts.emplace(account.id, std::move(account));
  });
  for_each_row(connection, snapshot_sql::accounts_with_active_service, [&](sql::ResultSet& row) {
    if (auto it = accounts.find(id_at(row, 1)); it != accounts.end()) it->second.has_active_service = true;
  });
  for_each_row(connection, snapshot_sql::account_site_sources, [&](sql::ResultSet& row) {
    if (auto it = accounts.find(id_at(row, 1)); it != accounts.end()) it->second.site_source_ids.push_back(id_at(row, 2));
  });

  SnapshotBuilder builder;
  for (auto& [id, account] : accounts) builder.add_account(std::move(account));
  accounts.clear();
  for_each_row(connection, snapshot_sql::contacts, [&](sql::ResultSet& row) {
    ContactRecord contact;
    contact.id = id_at(row, 1);
    contact.account_id = id_at(row, 2);
    if (!row.isNull(3)) contact.email = row.getString(3).asStdString();
    contact.first_name = row.getString(4).asStdString();
    contact.last_name = row.getString(5).asStdString();
    contact.is_billing = row.getBoolean(6);
    builder.add_contact(std::move(contact));
  });
  for_each_row(connection, snapshot_sql::portal_users, [&](sql::ResultSet& row) {
    PortalUserRecord user;
    user.email = row.getString(1).asStdString();
    user.status = parse_portal_status(row.getString(2).asStdString()).value_or(PortalStatus::none);
    user.last_invited_at = row.getInt64(3);
    builder.add_portal_user(std::move(user));
  });
  db::execute(connection, "COMMIT");
  return std::move(builder).build(generated_at);
}

}  // namespace invites::repository
