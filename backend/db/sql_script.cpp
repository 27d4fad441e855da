#include "db/sql_script.hpp"

namespace invites::db {
namespace {

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

bool is_comment(std::string_view trimmed_line) { return trimmed_line.starts_with("--"); }

// The chunk from its first line that is neither blank nor a comment, so
// error messages quoting a statement start with the statement itself.
std::string_view without_leading_comments(std::string_view chunk) {
  while (!chunk.empty()) {
    const auto newline = chunk.find('\n');
    const auto line = trim(chunk.substr(0, newline));
    if (!line.empty() && !is_comment(line)) return chunk;
    if (newline == std::string_view::npos) break;
    chunk.remove_prefix(newline + 1);
  }
  return {};
}

void flush(std::string& chunk, std::vector<std::string>& statements) {
  const auto statement = trim(without_leading_comments(chunk));
  if (!statement.empty()) statements.emplace_back(statement);
  chunk.clear();
}

}  // namespace

std::string sql_excerpt(std::string_view statement) {
  constexpr std::size_t max_length = 80;
  std::string text(statement.substr(0, statement.find('\n')));
  if (text.size() > max_length || text.size() < statement.size()) text = text.substr(0, max_length) + " ...";
  return text;
}

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::vector<std::string> statements;
  std::string chunk;
  while (!script.empty()) {
    const auto newline = script.find('\n');
    const auto line = script.substr(0, newline);
    const auto trimmed = trim(line);
    if (!is_comment(trimmed) && trimmed.ends_with(';')) {
      chunk.append(line.substr(0, line.rfind(';')));  // the server wants no terminator
      flush(chunk, statements);
    } else {
      chunk.append(line);
      chunk += '\n';
    }
    if (newline == std::string_view::npos) break;
    script.remove_prefix(newline + 1);
  }
  flush(chunk, statements);  // a last statement without ';'
  return statements;
}

}  // namespace invites::db
