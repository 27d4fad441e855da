#pragma once
// Small conversions between SQL values and C++ optionals and enums, shared by the
// repository files.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

namespace invites::repository {

inline std::optional<std::string> nullable_string(sql::ResultSet& row, int column) {
  if (row.isNull(column)) return std::nullopt;
  return row.getString(column).asStdString();
}

inline void set_nullable(sql::PreparedStatement& statement, int index, const std::optional<std::uint64_t>& value) {
  if (value) {
    statement.setUInt64(index, *value);
  } else {
    statement.setNull(index, 0);
  }
}

inline void set_nullable(sql::PreparedStatement& statement, int index, const std::optional<std::string>& value) {
  if (value) {
    statement.setString(index, *value);
  } else {
    statement.setNull(index, 0);
  }
}

// A stored ENUM value as its common/ enum (`parse` is e.g. parse_job_status);
// a value this build does not know means the schema is newer than the code.
template <typename Parse>
auto stored_enum(sql::ResultSet& row, int column, Parse parse, const char* what) {
  const std::string text = row.getString(column).asStdString();
  const auto value = parse(text);
  if (!value) throw std::runtime_error(std::string(what) + ": unknown value \"" + text + "\"");
  return *value;
}

// LAST_INSERT_ID() of the connection (Connector/C++ 1.1 has no generated keys).
inline std::uint64_t last_insert_id(sql::Connection& connection) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement("SELECT LAST_INSERT_ID()"));
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery());
  row->next();
  return row->getUInt64(1);
}

}  // namespace invites::repository
