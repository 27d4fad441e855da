#pragma once
// The database URL of the command line and environment (docs/design.md §4):
//   mysql://USER[:PASS]@HOST[:PORT]/DB
// USER and PASS may be percent-encoded (a password with '@' or ':' must be).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace invites::db {

// A URL that cannot be used; the message names the part that is wrong and
// never contains the password.
class DatabaseUrlError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct DatabaseUrl {
  std::string user;
  std::string password;  // empty when the URL has none
  std::string host;      // an IPv6 address without its brackets
  std::uint16_t port = 3306;
  std::string database;

  // The URL again, percent-encoded, usable by another process.
  std::string to_string() const;
  // The URL with the password replaced by "***", for logs and error messages.
  std::string redacted() const;

  bool operator==(const DatabaseUrl&) const = default;
};

// Throws DatabaseUrlError.
DatabaseUrl parse_database_url(std::string_view url);

// Database names are spliced into SQL by tools (CREATE DATABASE), so only
// plain identifiers are accepted: 1-64 of [A-Za-z0-9_$-].
bool is_plain_database_name(std::string_view name);

}  // namespace invites::db
