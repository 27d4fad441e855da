#pragma once
// Splits a migration file into the statements sent to the server one by one
// (the connector runs one statement per call).
//
// Rule, which every file in backend/migrations/ must follow: a statement ends
// with a ';' at the end of a line (trailing spaces allowed). A ';' elsewhere
// on a line does not split, so a literal that contains ';' at a line end (or
// a trailing "-- comment;" after code) is what a migration must not have. Lines starting with "--" are
// comments and never end a statement; comment and blank lines before a
// statement are dropped (comments inside or after its first line are sent).
#include <string>
#include <string_view>
#include <vector>

namespace invites::db {

std::vector<std::string> split_sql_statements(std::string_view script);

// The statement's first line, at most 80 characters, with " ..." when cut:
// how error messages quote a statement.
std::string sql_excerpt(std::string_view statement);

}  // namespace invites::db
