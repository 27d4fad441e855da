#include <catch2/catch.hpp>

#include <string>

#include "invites/csv.hpp"

using invites::append_csv_row;
using invites::append_tsv_row;
using invites::csv_cell;

TEST_CASE("csv_cell leaves plain values alone", "[csv]") {
  CHECK(csv_cell("") == "");
  CHECK(csv_cell("alice@example.com") == "alice@example.com");
  CHECK(csv_cell("O'Brien") == "O'Brien");
  CHECK(csv_cell("a b") == "a b");
  CHECK(csv_cell("x=1") == "x=1");  // only a leading sign is a formula
}

TEST_CASE("csv_cell quotes commas, quotes and line breaks (RFC 4180)", "[csv]") {
  CHECK(csv_cell("Smith, John") == "\"Smith, John\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("\"") == "\"\"\"\"");
  CHECK(csv_cell("line1\nline2") == "\"line1\nline2\"");
  CHECK(csv_cell("a\r\nb") == "\"a\r\nb\"");
}

TEST_CASE("csv_cell neutralizes formulas", "[csv]") {
  CHECK(csv_cell("=1+1") == "'=1+1");
  CHECK(csv_cell("+123") == "'+123");
  CHECK(csv_cell("-5") == "'-5");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_cell("\tx") == "'\tx");
  CHECK(csv_cell("\rx") == "\"'\rx\"");
  CHECK(csv_cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(csv_cell("=a,b") == "\"'=a,b\"");
}

TEST_CASE("append_csv_row joins cells with commas and ends with CRLF", "[csv]") {
  std::string out;
  append_csv_row(out, {"email", "first_name"});
  append_csv_row(out, {"a@b.co", "Smith, J"});
  append_csv_row(out, {"", "=cmd"});
  append_csv_row(out, {});
  CHECK(out == "email,first_name\r\na@b.co,\"Smith, J\"\r\n,'=cmd\r\n\r\n");
}

TEST_CASE("append_tsv_row joins cells with tabs, flattens tabs and line breaks, neutralizes formulas", "[csv]") {
  std::string out;
  append_tsv_row(out, {"a@b.co", "Smith, J", "say \"hi\""});
  append_tsv_row(out, {"x\ty", "line1\r\nline2", "=1+1", ""});
  CHECK(out == "a@b.co\tSmith, J\tsay \"hi\"\nx y\tline1  line2\t'=1+1\t\n");
}
