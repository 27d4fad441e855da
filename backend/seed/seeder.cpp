#include "seed/seeder.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>
#include <variant>
#include <vector>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/connection.hpp"
#include "seed/demo_data.hpp"

namespace invites::seed {
namespace {

constexpr std::size_t rows_per_insert = 1000;

// Multi-row prepared INSERTs: rows collect until `rows_per_insert`, then one
// statement (prepared once per table and reused) writes them all.
class BatchInserter {
 public:
  BatchInserter(sql::Connection& connection, std::string table, std::string columns, std::string row_placeholders,
                unsigned columns_per_row)
      : connection_(connection),
        table_(std::move(table)),
        columns_(std::move(columns)),
        row_(std::move(row_placeholders)),
        per_row_(columns_per_row) {}

  BatchInserter& value(std::int64_t number) {
    values_.emplace_back(number);
    return *this;
  }
  BatchInserter& value(std::string text) {
    values_.emplace_back(std::move(text));
    return *this;
  }
  BatchInserter& null() {
    values_.emplace_back(std::monostate{});
    return *this;
  }
  BatchInserter& id_or_null(std::uint32_t id) { return id == 0 ? null() : value(std::int64_t{id}); }
  void end_row() {
    ++written_;
    if (values_.size() >= rows_per_insert * per_row_) flush();
  }
  void flush() {
    const std::size_t rows = values_.size() / per_row_;
    if (rows == 0) return;
    std::unique_ptr<sql::PreparedStatement> partial;
    sql::PreparedStatement* statement;
    if (rows == rows_per_insert) {
      if (!full_) full_.reset(connection_.prepareStatement(text(rows)));
      statement = full_.get();
    } else {
      partial.reset(connection_.prepareStatement(text(rows)));
      statement = partial.get();
    }
    unsigned index = 1;
    for (const auto& v : values_) {
      if (std::holds_alternative<std::monostate>(v))
        statement->setNull(index, 0);
      else if (const auto* number = std::get_if<std::int64_t>(&v))
        statement->setInt64(index, *number);
      else
        statement->setString(index, std::get<std::string>(v));
      ++index;
    }
    statement->executeUpdate();
    values_.clear();
  }
  std::uint64_t written() const { return written_; }

 private:
  std::string text(std::size_t rows) const {
    std::string sql = "INSERT INTO " + table_ + " (" + columns_ + ") VALUES ";
    sql.reserve(sql.size() + rows * (row_.size() + 4));
    for (std::size_t r = 0; r < rows; ++r) {
      if (r) sql += ", ";
      sql += '(';
      sql += row_;
      sql += ')';
    }
    return sql;
  }

  sql::Connection& connection_;
  std::string table_, columns_, row_;
  unsigned per_row_;
  std::vector<std::variant<std::monostate, std::int64_t, std::string>> values_;
  std::unique_ptr<sql::PreparedStatement> full_;
  std::uint64_t written_ = 0;
};

std::string decimal_of_cents(std::int64_t cents) {
  const std::int64_t magnitude = cents < 0 ? -cents : cents;
  const auto fraction = magnitude % 100;
  return (cents < 0 ? "-" : "") + std::to_string(magnitude / 100) + (fraction < 10 ? ".0" : ".") +
         std::to_string(fraction);
}

// The billing tables and the portal tables, children first.
constexpr std::string_view billing_tables[] = {"contacts",    "services",        "sites",
                                               "accounts",    "site_sources",    "account_sources",
                                               "bill_groups", "account_classes", "divisions"};
// --replace also empties the send jobs: their outbox names contacts of the old data.
constexpr std::string_view portal_tables[] = {"portal_invites", "send_outbox", "send_jobs", "portal_users"};

bool has_rows(sql::Connection& connection, std::string_view table) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> result(
      statement->executeQuery("SELECT EXISTS (SELECT 1 FROM " + std::string(table) + ")"));
  return result->next() && result->getInt(1) != 0;
}

}  // namespace

std::string SeedSummary::describe() const {
  std::ostringstream out;
  out << "divisions " << divisions << ", account classes " << account_classes << ", bill groups " << bill_groups
      << ", account sources " << account_sources << ", site sources " << site_sources << "\n"
      << "accounts " << accounts << ", sites " << sites << ", services " << services << " (" << active_services
      << " active)\n"
      << "contacts " << contacts << " (" << billing_contacts << " billing, " << contacts_without_email
      << " without an email address)\n"
      << "portal users " << (portal_users_invited + portal_users_active + portal_users_disabled) << " ("
      << portal_users_invited << " invited, " << portal_users_active << " active, " << portal_users_disabled
      << " disabled)\n";
  char seconds_text[32];
  std::snprintf(seconds_text, sizeof seconds_text, "%.1f", seconds);
  out << "in " << seconds_text << " s";
  return out.str();
}

SeedSummary seed_database(sql::Connection& connection, const SeedOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  db::execute(connection, "COMMIT");
  std::string occupied;
  for (auto table : billing_tables)
    if (has_rows(connection, table)) occupied += (occupied.empty() ? "" : ", ") + std::string(table);
  for (auto table : portal_tables)
    if (has_rows(connection, table)) occupied += (occupied.empty() ? "" : ", ") + std::string(table);
  if (!occupied.empty() && !options.replace) {
    throw DatabaseNotEmpty("the database already holds data (" + occupied +
                           "): seeding would mix demo rows into it; pass --replace to empty these tables first");
  }

  // Bulk load: no per-row foreign key or unique checks (the generator's ids
  // and addresses are consistent by construction), one transaction per chunk.
  db::execute(connection, "SET SESSION foreign_key_checks = 0");
  db::execute(connection, "SET SESSION unique_checks = 0");
  struct RestoreChecks {
    sql::Connection& connection;
    ~RestoreChecks() {
      try {
        db::execute(connection, "SET SESSION foreign_key_checks = 1");
        db::execute(connection, "SET SESSION unique_checks = 1");
      } catch (...) {
      }
    }
  } restore{connection};

  if (!occupied.empty()) {
    for (auto table : portal_tables) db::execute(connection, "TRUNCATE TABLE " + std::string(table));
    for (auto table : billing_tables) db::execute(connection, "TRUNCATE TABLE " + std::string(table));
  }

  SeedSummary summary;
  DemoDataGenerator generator(options.seed);
  db::execute(connection, "START TRANSACTION");
  {
    const Lookups& lookups = generator.lookups();
    BatchInserter divisions(connection, "divisions", "id, name, default_from_email", "?, ?, ?", 3);
    for (const auto& d : lookups.divisions) {
      divisions.value(std::int64_t{d.id}).value(d.name);
      if (d.default_from_email)
        divisions.value(*d.default_from_email);
      else
        divisions.null();
      divisions.end_row();
    }
    divisions.flush();
    summary.divisions = divisions.written();
    auto named = [&](const char* table, const std::vector<LookupRow>& rows) {
      BatchInserter insert(connection, table, "id, name", "?, ?", 2);
      for (const auto& row : rows) {
        insert.value(std::int64_t{row.id}).value(row.name);
        insert.end_row();
      }
      insert.flush();
      return insert.written();
    };
    summary.account_classes = named("account_classes", lookups.account_classes);
    summary.bill_groups = named("bill_groups", lookups.bill_groups);
    summary.account_sources = named("account_sources", lookups.account_sources);
    summary.site_sources = named("site_sources", lookups.site_sources);
  }
  db::execute(connection, "COMMIT");

  BatchInserter accounts(connection, "accounts",
                         "id, account_number, name, division_id, account_class_id, bill_group_id, account_source_id,"
                         " balance, autopay",
                         "?, ?, ?, ?, ?, ?, ?, ?, ?", 9);
  BatchInserter sites(connection, "sites", "id, account_id, site_source_id, address", "?, ?, ?, ?", 4);
  BatchInserter services(connection, "services", "id, site_id, active", "?, ?, ?", 3);
  BatchInserter contacts(connection, "contacts", "id, account_id, first_name, last_name, email, is_billing",
                         "?, ?, ?, ?, ?, ?", 6);
  BatchInserter portal_users(connection, "portal_users", "email, status, created_at, updated_at, last_invited_at",
                             "?, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), FROM_UNIXTIME(?)", 5);

  Chunk chunk;
  const std::size_t chunk_size = options.chunk_accounts ? options.chunk_accounts : 5'000;
  for (std::size_t done = 0; done < options.accounts;) {
    const std::size_t count = std::min(chunk_size, options.accounts - done);
    generator.next_chunk(count, chunk);
    db::execute(connection, "START TRANSACTION");
    for (auto& a : chunk.accounts) {
      accounts.value(std::int64_t{a.id}).value(std::move(a.number)).value(std::move(a.name));
      accounts.value(std::int64_t{a.division_id}).id_or_null(a.account_class_id).id_or_null(a.bill_group_id);
      accounts.id_or_null(a.account_source_id).value(decimal_of_cents(a.balance_cents)).value(std::int64_t{a.autopay});
      accounts.end_row();
    }
    accounts.flush();
    for (auto& s : chunk.sites) {
      sites.value(std::int64_t{s.id}).value(std::int64_t{s.account_id}).id_or_null(s.site_source_id);
      sites.value(std::move(s.address)).end_row();
    }
    sites.flush();
    for (const auto& v : chunk.services) {
      services.value(std::int64_t{v.id}).value(std::int64_t{v.site_id}).value(std::int64_t{v.active}).end_row();
      summary.active_services += v.active;
    }
    services.flush();
    for (auto& c : chunk.contacts) {
      contacts.value(std::int64_t{c.id}).value(std::int64_t{c.account_id});
      contacts.value(std::move(c.first_name)).value(std::move(c.last_name));
      if (c.email)
        contacts.value(std::move(*c.email));
      else
        contacts.null();
      contacts.value(std::int64_t{c.is_billing}).end_row();
      summary.billing_contacts += c.is_billing;
      summary.contacts_without_email += !c.email;
    }
    contacts.flush();
    for (auto& p : chunk.portal_users) {
      if (p.status == "invited")
        ++summary.portal_users_invited;
      else if (p.status == "active")
        ++summary.portal_users_active;
      else
        ++summary.portal_users_disabled;
      const std::int64_t updated = p.last_invited_at ? p.last_invited_at : p.created_at;
      portal_users.value(std::move(p.email)).value(std::move(p.status)).value(p.created_at).value(updated);
      if (p.last_invited_at)
        portal_users.value(p.last_invited_at);
      else
        portal_users.null();
      portal_users.end_row();
    }
    portal_users.flush();
    db::execute(connection, "COMMIT");
    done += count;
    if (options.progress) options.progress(done);
  }
  summary.accounts = accounts.written();
  summary.sites = sites.written();
  summary.services = services.written();
  summary.contacts = contacts.written();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace invites::seed
