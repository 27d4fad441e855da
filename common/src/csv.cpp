#include "invites/csv.hpp"

namespace invites {
namespace {

bool starts_like_formula(std::string_view value) {
  if (value.empty()) return false;
  switch (value.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

void append_cell(std::string& out, std::string_view value) {
  const bool neutralize = starts_like_formula(value);
  const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out += '"';
  if (neutralize) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
}

}  // namespace

std::string csv_cell(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 3);
  append_cell(out, value);
  return out;
}

void append_tsv_row(std::string& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (std::string_view cell : cells) {
    if (!first) out += '\t';
    first = false;
    if (starts_like_formula(cell)) out += '\'';
    for (const char c : cell) out += c == '\t' || c == '\r' || c == '\n' ? ' ' : c;
  }
  out += '\n';
}

void append_csv_row(std::string& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (std::string_view cell : cells) {
    if (!first) out += ',';
    first = false;
    append_cell(out, cell);
  }
  out += "\r\n";
}

}  // namespace invites
