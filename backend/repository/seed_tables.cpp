#include "repository/seed_tables.hpp"

#include <initializer_list>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "db/statement.hpp"
#include "invites/sql_filter.hpp"

namespace invites::repository {
namespace {

constexpr std::size_t rows_per_insert = 1000;

// The billing tables and the portal tables, children first.
constexpr std::string_view billing_tables[] = {"contacts",    "services",        "sites",
                                               "accounts",    "site_sources",    "account_sources",
                                               "bill_groups", "account_classes", "divisions"};
// Emptying also takes the send jobs: their outbox names contacts of the old data.
constexpr std::string_view portal_tables[] = {"portal_invites", "send_outbox", "send_jobs", "portal_users"};

using Value = std::optional<SqlParam>;  // nullopt = NULL

Value number(std::int64_t value) { return SqlParam{value}; }
Value text(std::string value) { return SqlParam{std::move(value)}; }
Value text_or_null(const std::optional<std::string>& value) { return value ? text(*value) : std::nullopt; }
Value id_or_null(std::uint32_t id) { return id == 0 ? std::nullopt : number(id); }

std::string decimal_of_cents(std::int64_t cents) {
  const std::int64_t magnitude = cents < 0 ? -cents : cents;
  const auto fraction = magnitude % 100;
  return (cents < 0 ? "-" : "") + std::to_string(magnitude / 100) + (fraction < 10 ? ".0" : ".") +
         std::to_string(fraction);
}

bool has_rows(sql::Connection& connection, std::string_view table) {
  return db::query_row<bool>(connection, "SELECT EXISTS (SELECT 1 FROM " + std::string(table) + ")").value_or(false);
}

}  // namespace

// Rows collect until `rows_per_insert`, then one statement (prepared once per
// table and kept) writes them all.
class SeedTables::Inserter {
 public:
  Inserter(sql::Connection& connection, std::string_view table, std::string_view columns,
           std::string_view row_placeholders, std::size_t columns_per_row)
      : connection_(connection),
        prefix_("INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES "),
        row_("(" + std::string(row_placeholders) + ")"),
        per_row_(columns_per_row) {}

  void add(std::initializer_list<Value> row) {
    values_.insert(values_.end(), row.begin(), row.end());
    ++written_;
    if (values_.size() >= rows_per_insert * per_row_) flush();
  }
  // Rows added so far (the last ones are written by flush()).
  std::uint64_t written() const { return written_; }

  void flush() {
    const std::size_t rows = values_.size() / per_row_;
    if (rows == 0) return;
    if (rows == rows_per_insert) {
      if (!full_) full_.emplace(connection_, prefix_ + db::placeholders(rows, row_));
      full_->bind_each(values_).update();
    } else {
      db::Statement(connection_, prefix_ + db::placeholders(rows, row_)).bind_each(values_).update();
    }
    values_.clear();
  }

 private:
  sql::Connection& connection_;
  std::string prefix_, row_;
  std::size_t per_row_;
  std::vector<Value> values_;
  std::optional<db::Statement> full_;
  std::uint64_t written_ = 0;
};

SeedTables::SeedTables(sql::Connection& connection) : connection_(connection) {
  db::execute(connection_, "COMMIT");
  const auto named = [&](std::string_view table) {
    return std::make_unique<Inserter>(connection_, table, "id, name", "?, ?", 2);
  };
  divisions_ = std::make_unique<Inserter>(connection_, "divisions", "id, name, default_from_email", "?, ?, ?", 3);
  account_classes_ = named("account_classes");
  bill_groups_ = named("bill_groups");
  account_sources_ = named("account_sources");
  site_sources_ = named("site_sources");
  accounts_ = std::make_unique<Inserter>(
      connection_, "accounts",
      "id, account_number, name, division_id, account_class_id, bill_group_id, account_source_id, balance, autopay",
      "?, ?, ?, ?, ?, ?, ?, ?, ?", 9);
  sites_ = std::make_unique<Inserter>(connection_, "sites", "id, account_id, site_source_id, address", "?, ?, ?, ?", 4);
  services_ = std::make_unique<Inserter>(connection_, "services", "id, site_id, active", "?, ?, ?", 3);
  contacts_ = std::make_unique<Inserter>(
      connection_, "contacts", "id, account_id, first_name, last_name, email, is_billing", "?, ?, ?, ?, ?, ?", 6);
  portal_users_ =
      std::make_unique<Inserter>(connection_, "portal_users", "email, status, created_at, updated_at, last_invited_at",
                                 "?, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), FROM_UNIXTIME(?)", 5);
}

SeedTables::~SeedTables() {
  if (!checks_off_) return;
  try {
    db::execute(connection_, "SET SESSION foreign_key_checks = 1");
    db::execute(connection_, "SET SESSION unique_checks = 1");
  } catch (...) {
    // A lost connection takes its session settings with it.
  }
}

std::string SeedTables::occupied() {
  std::string occupied;
  for (const auto table : billing_tables)
    if (has_rows(connection_, table)) occupied += (occupied.empty() ? "" : ", ") + std::string(table);
  for (const auto table : portal_tables)
    if (has_rows(connection_, table)) occupied += (occupied.empty() ? "" : ", ") + std::string(table);
  return occupied;
}

void SeedTables::start(bool empty_first) {
  db::execute(connection_, "SET SESSION foreign_key_checks = 0");
  db::execute(connection_, "SET SESSION unique_checks = 0");
  checks_off_ = true;
  if (!empty_first) return;
  for (const auto table : portal_tables) db::execute(connection_, "TRUNCATE TABLE " + std::string(table));
  for (const auto table : billing_tables) db::execute(connection_, "TRUNCATE TABLE " + std::string(table));
}

void SeedTables::add(LookupTable table, const LookupRow& row) {
  switch (table) {
    case LookupTable::divisions:
      return divisions_->add({number(row.id), text(row.name), text_or_null(row.default_from_email)});
    case LookupTable::account_classes:
      return account_classes_->add({number(row.id), text(row.name)});
    case LookupTable::bill_groups:
      return bill_groups_->add({number(row.id), text(row.name)});
    case LookupTable::account_sources:
      return account_sources_->add({number(row.id), text(row.name)});
    case LookupTable::site_sources:
      return site_sources_->add({number(row.id), text(row.name)});
  }
}

void SeedTables::add(const AccountRow& row) {
  accounts_->add({number(row.id), text(row.number), text(row.name), number(row.division_id),
                  id_or_null(row.account_class_id), id_or_null(row.bill_group_id), id_or_null(row.account_source_id),
                  text(decimal_of_cents(row.balance_cents)), number(row.autopay)});
}

void SeedTables::add(const SiteRow& row) {
  sites_->add({number(row.id), number(row.account_id), id_or_null(row.site_source_id), text(row.address)});
}

void SeedTables::add(const ServiceRow& row) {
  services_->add({number(row.id), number(row.site_id), number(row.active)});
}

void SeedTables::add(const ContactRow& row) {
  contacts_->add({number(row.id), number(row.account_id), text(row.first_name), text(row.last_name),
                  text_or_null(row.email), number(row.is_billing)});
}

void SeedTables::add(const PortalUserRow& row) {
  const std::int64_t updated = row.last_invited_at ? row.last_invited_at : row.created_at;
  portal_users_->add({text(row.email), text(std::string(portal_status_name(row.status))), number(row.created_at),
                      number(updated), row.last_invited_at ? number(row.last_invited_at) : std::nullopt});
}

SeedCounts SeedTables::counts() const {
  return {divisions_->written(),    account_classes_->written(), bill_groups_->written(), account_sources_->written(),
          site_sources_->written(), accounts_->written(),        sites_->written(),       services_->written(),
          contacts_->written(),     portal_users_->written()};
}

void SeedTables::flush() {
  for (auto* inserter :
       {divisions_.get(), account_classes_.get(), bill_groups_.get(), account_sources_.get(), site_sources_.get(),
        accounts_.get(), sites_.get(), services_.get(), contacts_.get(), portal_users_.get()}) {
    inserter->flush();
  }
}

}  // namespace invites::repository
