// Prints the SQL of the recipients query (invites::recipients_query) for a
// filter given as JSON, with the values written in as literals, so the
// `mariadb` client can time the plain SQL path. For benchmarks only: the
// server itself always binds the values.
//   recipients_sql '{"division_ids":[1]}' [count]
// With "count", the count per group (invites::recipient_counts_query: the
// server's work without sending a million rows to the client).
#include <iostream>
#include <string>
#include <variant>

#include "invites/filter.hpp"
#include "invites/sql_filter.hpp"

namespace {

std::string literal(const invites::SqlParam& param) {
  if (const auto* number = std::get_if<std::int64_t>(&param)) return std::to_string(*number);
  std::string out = "'";
  for (char c : std::get<std::string>(param)) {
    if (c == '\'' || c == '\\') out += c;  // '' and \\ in MariaDB's default sql_mode
    out += c;
  }
  return out + "'";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: recipients_sql FILTER_JSON [count]\n";
    return 2;
  }
  try {
    const auto filter = invites::parse_filter(argv[1]);
    const bool count = argc > 2 && std::string(argv[2]) == "count";
    const auto query = count ? invites::recipient_counts_query(filter) : invites::recipients_query(filter);
    std::string text;
    std::size_t next = 0;
    bool in_string = false;
    for (char c : query.text) {
      if (c == '\'') in_string = !in_string;
      if (c == '?' && !in_string) {
        if (next >= query.params.size()) throw std::runtime_error("more placeholders than values");
        text += literal(query.params[next++]);
      } else {
        text += c;
      }
    }
    if (next != query.params.size()) throw std::runtime_error("fewer placeholders than values");
    std::cout << text << "\n";
  } catch (const std::exception& e) {
    std::cerr << "recipients_sql: " << e.what() << "\n";
    return 1;
  }
}
