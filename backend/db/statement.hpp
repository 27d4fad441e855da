#pragma once
// Prepared statements whose parameters are bound by position from a
// parameter pack (mysql-connector-c++ 1.1), so a repository writes
//   db::update(connection, "UPDATE t SET name = ? WHERE id = ?", name, id);
// instead of numbering setString/setUInt64 calls by hand. Values: strings,
// integers, bool, double, invites::SqlParam (the queries common/ builds) and
// std::optional of any of them (nullopt binds NULL). Every placeholder takes
// exactly one value: too many or too few throw std::logic_error naming the
// statement. Results are read with db::Rows (db/rows.hpp).
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>

#include "db/rows.hpp"
#include "invites/sql_filter.hpp"

namespace invites::db {

class Statement {
 public:
  Statement(sql::Connection& connection, std::string_view text);
  // Prepares query.text and binds query.params.
  Statement(sql::Connection& connection, const SqlQuery& query);

  // Binds the values to the next placeholders, in order. Binding starts at
  // the first placeholder again after each update() or query(), so a kept
  // statement is simply bound and run again.
  template <typename... Values>
  Statement& bind(const Values&... values) {
    (bind_one(values), ...);
    return *this;
  }
  // Binds every element of `values` to the next placeholders (IN lists, rows of a multi-row INSERT).
  template <std::ranges::input_range Range>
  Statement& bind_each(const Range& values) {
    for (const auto& value : values) bind_one(value);
    return *this;
  }

  // Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed.
  std::uint64_t update();
  // Runs a SELECT. These Rows read through this statement: use them before it goes.
  Rows query() &;
  // Runs a SELECT; the Rows keep the statement.
  Rows query() &&;

 private:
  void bind_one(const std::string& value);
  void bind_one(std::string_view value);
  void bind_one(const char* value) { bind_one(std::string_view(value)); }
  void bind_one(bool value);
  void bind_one(double value);
  void bind_one(std::nullopt_t);
  void bind_one(const SqlParam& value);
  template <std::integral T>
  void bind_one(T value) {
    const unsigned index = next_placeholder();
    if constexpr (std::unsigned_integral<T> && sizeof(T) <= 4) {
      statement_->setUInt(index, value);
    } else if constexpr (std::unsigned_integral<T>) {
      statement_->setUInt64(index, value);
    } else if constexpr (sizeof(T) <= 4) {
      statement_->setInt(index, value);
    } else {
      statement_->setInt64(index, value);
    }
  }
  template <typename T>
  void bind_one(const std::optional<T>& value) {
    if (value) {
      bind_one(*value);
    } else {
      bind_one(std::nullopt);
    }
  }

  // The index of the next placeholder; throws when every one is bound already.
  unsigned next_placeholder();
  // Throws unless every placeholder has its value; then starts binding anew.
  void finish_binding();

  std::unique_ptr<sql::PreparedStatement> statement_;
  std::string excerpt_;  // of the text, for error messages
  unsigned placeholders_ = 0;
  unsigned bound_ = 0;
};

// One statement, bound and run: db::update(connection, "DELETE FROM t WHERE id = ?", id).
template <typename... Values>
std::uint64_t update(sql::Connection& connection, std::string_view text, const Values&... values) {
  return Statement(connection, text).bind(values...).update();
}

template <typename... Values>
Rows query(sql::Connection& connection, std::string_view text, const Values&... values) {
  Statement statement(connection, text);
  statement.bind(values...);
  return std::move(statement).query();
}

// The first row's columns as Columns... (see Rows::read), or nullopt when
// the query returns no row: query_row<std::uint64_t>(connection, "SELECT id FROM t WHERE name = ?", name).
template <typename... Columns, typename... Values>
std::optional<ReadResult<Columns...>> query_row(sql::Connection& connection, std::string_view text,
                                                const Values&... values) {
  auto rows = query(connection, text, values...);
  if (!rows.next()) return std::nullopt;
  return rows.template read<Columns...>();
}

// The first column of every row.
template <typename T, typename... Values>
std::vector<T> query_column(sql::Connection& connection, std::string_view text, const Values&... values) {
  return query(connection, text, values...).read_all([](Rows& rows) { return rows.template read<T>(); });
}

// Fixed SQL without parameters, its rows streamed from the server as they
// are read instead of buffered whole on the client (for results of millions
// of rows; Rows::count() is not known then).
Rows stream(sql::Connection& connection, const char* text);

// `count` markers joined by ", ": "?, ?, ?", or "(?, ?), (?, ?)" with the marker
// "(?, ?)" for the rows of a multi-row INSERT. Placeholders only, never values.
std::string placeholders(std::size_t count, std::string_view marker = "?");

// LAST_INSERT_ID() of the connection (Connector/C++ 1.1 has no generated keys).
std::uint64_t last_insert_id(sql::Connection& connection);

}  // namespace invites::db
