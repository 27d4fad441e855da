#include "db/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <cppconn/exception.h>
#include <spdlog/spdlog.h>

#include "db/connection.hpp"
#include "db/process_label.hpp"
#include "db/retry.hpp"
#include "db/sql_script.hpp"
#include "db/statement.hpp"

namespace invites::db {
namespace {

constexpr int lock_timeout_seconds = 60;
// A crashed run's lock is taken over after this long; longer than any migration.
constexpr int lock_expiry_seconds = 30 * 60;
constexpr std::chrono::milliseconds lock_poll_interval{200};
constexpr int er_dup_entry = 1062;

std::string label(const Migration& migration) {
  std::string number = std::to_string(migration.version);
  if (number.size() < 4) number.insert(0, 4 - number.size(), '0');
  return number + "_" + std::string(migration.name);
}

// The first column of the first row; 0 for no row or NULL.
std::int64_t query_int(sql::Connection& connection, const std::string& text) {
  return query_row<std::optional<std::int64_t>>(connection, text).value_or(std::nullopt).value_or(0);
}

bool migrations_table_exists(sql::Connection& connection) {
  return query_int(connection,
                   "SELECT COUNT(*) FROM information_schema.tables "
                   "WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'") > 0;
}

std::set<int> applied_versions(sql::Connection& connection) {
  const auto versions = query_column<int>(connection, "SELECT version FROM schema_migrations");
  return {versions.begin(), versions.end()};
}

void check_order(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version <= 0 || (i > 0 && migrations[i].version <= migrations[i - 1].version)) {
      throw MigrationError("migration list is not strictly ascending at " + label(migrations[i]));
    }
  }
}

// Serializes migrate runs against one database, also on different nodes of
// a Galera cluster, where GET_LOCK would be local to one node: the run that
// inserts the one row of schema_migrations_lock holds the lock. Another
// insert fails (duplicate key; a certification conflict when two nodes
// insert at once) and waits for the row to go. A row past its expiry (a
// run that crashed) is taken over.
class MigrationLock {
 public:
  explicit MigrationLock(sql::Connection& connection) : connection_(connection), holder_(process_label()) {
    execute(connection_,
            "CREATE TABLE IF NOT EXISTS schema_migrations_lock ("
            " id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
            " holder VARCHAR(100) NOT NULL,"
            " expires_at DATETIME(3) NOT NULL"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(lock_timeout_seconds);
    while (!try_take()) {
      execute(connection_, "DELETE FROM schema_migrations_lock WHERE id = 1 AND expires_at < UTC_TIMESTAMP(3)");
      if (std::chrono::steady_clock::now() > deadline) {
        throw MigrationError("another migration of this database has been running for over " +
                             std::to_string(lock_timeout_seconds) + "s (" + current_holder() +
                             "); try again later, or delete the row of schema_migrations_lock if no migration runs");
      }
      std::this_thread::sleep_for(lock_poll_interval);
    }
  }
  ~MigrationLock() {
    try {
      update(connection_, "DELETE FROM schema_migrations_lock WHERE id = 1 AND holder = ?", holder_);
    } catch (...) {
      // The row expires by itself; the next run takes it over then.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  bool try_take() {
    try {
      update(connection_,
             "INSERT INTO schema_migrations_lock (id, holder, expires_at) "
             "VALUES (1, ?, UTC_TIMESTAMP(3) + INTERVAL ? SECOND)",
             holder_, lock_expiry_seconds);
      return true;
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == er_dup_entry || is_transient_conflict(e.getErrorCode())) return false;
      throw;
    }
  }

  std::string current_holder() {
    return query_row<std::string>(connection_,
                                  "SELECT CONCAT('held by ', holder, ' until ', expires_at, ' UTC') FROM "
                                  "schema_migrations_lock WHERE id = 1")
        .value_or("it has just finished");
  }

  sql::Connection& connection_;
  std::string holder_;
};

void create_migrations_table(sql::Connection& connection) {
  execute(connection,
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INT NOT NULL PRIMARY KEY,"
          " name VARCHAR(255) NOT NULL,"
          " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
          ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
}

void apply(sql::Connection& connection, const Migration& migration) {
  spdlog::info("applying migration {}", label(migration));
  const auto statements = split_sql_statements(migration.sql);
  for (std::size_t i = 0; i < statements.size(); ++i) {
    try {
      execute(connection, statements[i]);
    } catch (const sql::SQLException& e) {
      throw MigrationError("migration " + label(migration) + " failed at statement " + std::to_string(i + 1) + " (" +
                           sql_excerpt(statements[i]) + "): " + e.what() +
                           (i > 0 ? "; its earlier statements stay applied, repair the schema by hand" : ""));
    }
  }
  update(connection, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", migration.version, migration.name);
}

}  // namespace

int schema_version(sql::Connection& connection) {
  if (!migrations_table_exists(connection)) return 0;
  return static_cast<int>(query_int(connection, "SELECT MAX(version) FROM schema_migrations"));
}

MigrationResult migrate(sql::Connection& connection, std::span<const Migration> migrations) {
  check_order(migrations);
  const int newest_known = migrations.empty() ? 0 : migrations.back().version;

  MigrationLock lock(connection);
  create_migrations_table(connection);
  const auto applied = applied_versions(connection);

  MigrationResult result;
  result.version_before = applied.empty() ? 0 : *applied.rbegin();
  if (result.version_before > newest_known) {
    throw MigrationError("the database schema is at version " + std::to_string(result.version_before) +
                         ", newer than the newest this invites-server knows (" + std::to_string(newest_known) +
                         "); use a newer invites-server");
  }
  for (const auto& migration : migrations) {
    if (applied.contains(migration.version)) continue;
    apply(connection, migration);
    result.applied.push_back(migration.version);
  }
  result.version_after = std::max(result.version_before, newest_known);
  return result;
}

}  // namespace invites::db
