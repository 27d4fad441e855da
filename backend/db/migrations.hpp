#pragma once
// Schema migrations: the numbered files backend/migrations/NNNN_name.sql,
// embedded into the binary at build time, applied in order and recorded in
// the table schema_migrations (version, name, applied_at).
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <cppconn/connection.h>

namespace invites::db {

struct Migration {
  int version;            // NNNN of the file name
  std::string_view name;  // the rest of the file name, without ".sql"
  std::string_view sql;   // the file's text, split by split_sql_statements()
};

// The migrations built into this binary, ascending by version. Defined in a
// source file that CMake generates from backend/migrations/*.sql.
std::span<const Migration> embedded_migrations();

// The database cannot be migrated: it is newer than this binary, or a
// statement failed (the message names the migration and the statement).
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MigrationResult {
  int version_before = 0;
  int version_after = 0;
  std::vector<int> applied;  // versions applied by this run, ascending; empty = nothing to do
};

// The highest version recorded in schema_migrations; 0 when the table does
// not exist yet or is empty.
int schema_version(sql::Connection& connection);

// Applies every migration of `migrations` that the database has not recorded,
// in ascending order, each recorded after its last statement succeeded.
// Re-running is a no-op. Concurrent runs against one database, also on
// different nodes of a Galera cluster, are serialized by a row in the table
// schema_migrations_lock: one applies, the others wait and find nothing to do. Throws MigrationError when the database
// records a version above the newest of `migrations` (it was migrated by a newer invites-server) or when a statement
// fails. MySQL commits DDL implicitly, so a migration that fails halfway leaves its earlier statements applied.
MigrationResult migrate(sql::Connection& connection, std::span<const Migration> migrations = embedded_migrations());

}  // namespace invites::db
