#pragma once
// CSV export of recipient lists (docs/design.md §5, §7): RFC 4180 quoting and
// neutralization of cells a spreadsheet would run as a formula; the same
// rows tab-separated, as copied to the clipboard (a spreadsheet takes them
// as cells when pasted).
#include <initializer_list>
#include <string>
#include <string_view>

namespace invites {

// One cell: a value starting with = + - @ TAB or CR gets a leading apostrophe
// (so spreadsheets show it as text, never run it); then a value holding a
// comma, double quote, CR or LF (or made so) is wrapped in double quotes with
// inner quotes doubled.
std::string csv_cell(std::string_view value);

// Appends the cells joined by commas and terminated by CRLF (RFC 4180).
void append_csv_row(std::string& out, std::initializer_list<std::string_view> cells);

// Appends the cells joined by tabs and terminated by LF: tabs and line breaks
// inside a cell become spaces (a cell cannot hold them), formulas are
// neutralized as in CSV.
void append_tsv_row(std::string& out, std::initializer_list<std::string_view> cells);

}  // namespace invites
