#pragma once
// Reading a query's rows by type. Each read takes the next columns of the
// current row in order, so a repository never counts column numbers by hand:
//   auto rows = db::query(connection, "SELECT id, name, email FROM t");
//   while (rows.next()) {
//     auto [id, name, email] = rows.read<std::uint64_t, std::string, std::optional<std::string>>();
//   }
// A NULL read as a type without one throws NullColumn; read std::optional<T>
// where the column may be NULL. An ENUM column reads as its common/ enum
// through StoredEnum (repository/stored_enums.hpp).
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <cppconn/resultset.h>
#include <cppconn/statement.h>

namespace invites::db {

// A column was NULL where the caller read a type that cannot hold NULL.
class NullColumn : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};

// What read<T...>() returns: the value for one column, a tuple for several.
template <typename... T>
struct read_result {
  using type = std::tuple<T...>;
};
template <typename T>
struct read_result<T> {
  using type = T;
};
}  // namespace detail

// How a stored ENUM value becomes a C++ enum: specialised beside the
// vocabulary's parsers, with `parse(std::string_view) -> std::optional<E>`
// and `what` (the column, for the error).
template <typename E>
struct StoredEnum;

// A stored value this build does not know: the schema is newer than the code.
class UnknownStoredValue : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename... T>
using ReadResult = typename detail::read_result<T...>::type;

class Rows {
 public:
  // `owner` is the statement the result came from, when the Rows keep it alive.
  explicit Rows(std::unique_ptr<sql::ResultSet> result, std::unique_ptr<sql::Statement> owner = nullptr)
      : owner_(std::move(owner)), result_(std::move(result)) {}

  // Moves to the next row (the first on the first call); false after the last.
  bool next() {
    column_ = 1;
    return result_->next();
  }

  // The next columns of the current row as T...: one value, or a tuple to
  // take apart with a structured binding.
  template <typename... T>
  ReadResult<T...> read() {
    if constexpr (sizeof...(T) == 1) {
      return read_column<T...>();
    } else {
      // A braced list is evaluated left to right, so the columns are read in order.
      return std::tuple<T...>{read_column<T>()...};
    }
  }

  // Reads the next columns into the targets, in order.
  template <typename... T>
  void read_into(T&... targets) {
    ((targets = read_column<T>()), ...);
  }

  // Every remaining row, each as read_row(*this) makes it from the current row.
  template <typename ReadRow>
  auto read_all(ReadRow read_row) -> std::vector<std::invoke_result_t<ReadRow&, Rows&>> {
    std::vector<std::invoke_result_t<ReadRow&, Rows&>> out;
    while (next()) out.push_back(read_row(*this));
    return out;
  }

  // The next row as read_row(*this) makes it, or nullopt after the last.
  template <typename ReadRow>
  auto read_next(ReadRow read_row) -> std::optional<std::invoke_result_t<ReadRow&, Rows&>> {
    if (!next()) return std::nullopt;
    return read_row(*this);
  }

  // How many rows the result holds (a prepared statement's result is buffered).
  std::size_t count() const { return result_->rowsCount(); }

 private:
  template <typename T>
  T read_column() {
    const unsigned column = column_++;
    if constexpr (detail::is_optional<T>::value) {
      if (result_->isNull(column)) return std::nullopt;
      return value_at<typename T::value_type>(column);
    } else {
      if (result_->isNull(column)) {
        throw NullColumn("column " + std::to_string(column) + " is NULL; read it as std::optional");
      }
      return value_at<T>(column);
    }
  }

  template <typename T>
  T value_at(unsigned column) {
    if constexpr (std::is_same_v<T, std::string>) {
      return result_->getString(column).asStdString();
    } else if constexpr (std::is_same_v<T, bool>) {
      return result_->getBoolean(column);
    } else if constexpr (std::is_floating_point_v<T>) {
      return static_cast<T>(result_->getDouble(column));
    } else if constexpr (std::unsigned_integral<T>) {
      if constexpr (sizeof(T) <= 4)
        return static_cast<T>(result_->getUInt(column));
      else
        return static_cast<T>(result_->getUInt64(column));
    } else if constexpr (std::signed_integral<T>) {
      if constexpr (sizeof(T) <= 4)
        return static_cast<T>(result_->getInt(column));
      else
        return static_cast<T>(result_->getInt64(column));
    } else if constexpr (std::is_enum_v<T>) {
      const std::string text = result_->getString(column).asStdString();
      if (const auto value = StoredEnum<T>::parse(text)) return *value;
      throw UnknownStoredValue(std::string(StoredEnum<T>::what) + ": unknown value \"" + text + "\"");
    } else {
      static_assert(sizeof(T) == 0,
                    "read a column as std::string, bool, an integer, a floating point, an enum or an optional");
    }
  }

  std::unique_ptr<sql::Statement> owner_;  // declared first: destroyed after the result it produced
  std::unique_ptr<sql::ResultSet> result_;
  unsigned column_ = 1;
};

}  // namespace invites::db
