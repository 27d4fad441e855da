#include "repository/snapshot_loader.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "db/connection.hpp"
#include "db/session.hpp"
#include "db/statement.hpp"
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
  auto rows = db::stream(connection, query);
  unsigned until_check = cancel_check_rows;
  while (rows.next()) {
    on_row(rows);
    if (--until_check == 0) {
      check(cancel);
      until_check = cancel_check_rows;
    }
  }
}

template <typename T>
void sort_unique(std::vector<T>& v) {
  if (!std::is_sorted(v.begin(), v.end())) std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  v.shrink_to_fit();
}

PortalUserState read_portal_user(db::Rows& row) {
  auto [email, status, last_invited_at] = row.read<std::string, std::string, std::int64_t>();
  return {std::move(email), parse_portal_status(status).value_or(PortalStatus::none), last_invited_at};
}

}  // namespace

Snapshot load_snapshot(sql::Connection& connection) {
  static const std::atomic<bool> never{false};
  return load_snapshot(connection, never);
}

Snapshot load_snapshot(sql::Connection& connection, const std::atomic<bool>& cancel) {
  db::execute(connection, "COMMIT");
  db::execute(connection, snapshot_sql::begin_consistent_read);
  check(cancel);
  const std::int64_t generated_at = db::server_unix_time(connection);

  // The per-account sets first, as sorted compact vectors, so that each
  // account row can be completed and appended as it arrives.
  std::vector<Id> with_active_service;
  for_each_row(connection, snapshot_sql::accounts_with_active_service, cancel,
               [&](db::Rows& row) { with_active_service.push_back(row.read<Id>()); });
  sort_unique(with_active_service);
  std::vector<std::pair<Id, Id>> site_sources;  // (account id, site source id)
  for_each_row(connection, snapshot_sql::account_site_sources, cancel, [&](db::Rows& row) {
    const auto [account_id, site_source_id] = row.read<Id, Id>();
    site_sources.emplace_back(account_id, site_source_id);
  });
  sort_unique(site_sources);

  SnapshotBuilder builder;
  std::vector<Id> sources;
  std::string number, name;
  for_each_row(connection, snapshot_sql::accounts, cancel, [&](db::Rows& row) {
    AccountRowRef account;
    row.read_into(account.id, account.division_id, account.account_class_id, account.bill_group_id,
                  account.account_source_id, account.balance_due, account.autopay, number, name);
    account.has_active_service = std::binary_search(with_active_service.begin(), with_active_service.end(), account.id);
    account.account_number = number;
    account.name = name;
    sources.clear();
    auto it = std::lower_bound(site_sources.begin(), site_sources.end(), std::pair<Id, Id>{account.id, 0});
    for (; it != site_sources.end() && it->first == account.id; ++it) sources.push_back(it->second);
    builder.append_account(account, sources);
  });
  std::vector<Id>().swap(with_active_service);
  std::vector<std::pair<Id, Id>>().swap(site_sources);

  std::optional<std::string> email;
  std::string first_name, last_name;
  for_each_row(connection, snapshot_sql::contacts, cancel, [&](db::Rows& row) {
    ContactRowRef contact;
    row.read_into(contact.id, contact.account_id, email, first_name, last_name, contact.is_billing);
    if (email) contact.email = *email;
    contact.first_name = first_name;
    contact.last_name = last_name;
    builder.append_contact(contact);
  });
  // The per-contact addresses go before the portal users come in.
  builder.index_contacts();
  for_each_row(connection, snapshot_sql::portal_users, cancel, [&](db::Rows& row) {
    const auto user = read_portal_user(row);
    builder.append_portal_user(user.email, user.status, user.last_invited_at);
  });
  for_each_row(connection, snapshot_sql::suppressed_addresses, cancel,
               [&](db::Rows& row) { builder.append_suppression(row.read<std::string>()); });
  db::execute(connection, "COMMIT");
  check(cancel);
  return std::move(builder).build(generated_at);
}

}  // namespace invites::repository

namespace invites::repository {

void read_portal_users_changed_since(sql::Connection& connection, std::int64_t since,
                                     const std::function<void(const PortalUserState&)>& on_user) {
  auto rows = db::query(connection, snapshot_sql::portal_users_changed_since, since);
  while (rows.next()) on_user(read_portal_user(rows));
}

void read_suppressions_changed_since(sql::Connection& connection, std::int64_t since,
                                     const std::function<void(const SuppressionState&)>& on_change) {
  auto rows = db::query(connection, snapshot_sql::suppressions_changed_since, since);
  while (rows.next()) {
    auto [email, suppressed] = rows.read<std::string, bool>();
    on_change({std::move(email), suppressed});
  }
}

}  // namespace invites::repository
