#include "snapshot_names.hpp"

#include <cstring>
#include <string>
#include <string_view>

#include "snapshot_text.hpp"

namespace invites::snapshot_names {

using snapshot_bytes::Reader;
using snapshot_bytes::Writer;

namespace {

enum NameKind : std::uint8_t { name_literal = 0, name_last_comma_first = 1, name_first_space_last = 2 };
constexpr std::string_view comma_separator = ", ", space_separator = " ";

// A mark per row pays for itself when at least one row in 16 uses it.
bool worth_marking(std::size_t marked, std::size_t rows) { return marked > 0 && marked * 16 >= rows; }

bool joins(std::string_view whole, std::string_view head, std::string_view separator, std::string_view tail) {
  return whole.size() == head.size() + separator.size() + tail.size() && whole.starts_with(head) &&
         whole.substr(head.size(), separator.size()) == separator && whole.ends_with(tail);
}

NameKind kind_of(std::string_view name, std::string_view first, std::string_view last) {
  if (joins(name, last, comma_separator, first)) return name_last_comma_first;
  if (joins(name, first, space_separator, last)) return name_first_space_last;
  return name_literal;
}

std::size_t predicted_size(std::uint8_t kind, std::string_view first, std::string_view last) {
  return first.size() + last.size() + (kind == name_last_comma_first ? comma_separator : space_separator).size();
}

// Appends `part`, a value of a column whose bytes are `column`, in 8-byte
// blocks (snapshot_text::copy_in_blocks: a memory.copy per name costs more in
// WebAssembly) unless that would read past the column's bytes. Writes up to 7
// bytes past the end, as the text reader does.
char* append(char* out, std::string_view part, std::string_view column) {
  if (static_cast<std::size_t>(part.data() - column.data()) + part.size() + 8 <= column.size())
    snapshot_text::copy_in_blocks(out, part.data(), part.size());
  else
    std::memcpy(out, part.data(), part.size());
  return out + part.size();
}

char* append_separator(char* out, std::string_view separator) {
  for (const char c : separator) *out++ = c;
  return out;
}

// The name of `kind` for contact c at out; returns its end.
char* write_predicted(char* out, std::uint8_t kind, const Snapshot& s, std::size_t c) {
  const std::string_view first = s.contact_first_name[c], last = s.contact_last_name[c];
  const std::string_view firsts = s.contact_first_name.bytes(), lasts = s.contact_last_name.bytes();
  if (kind == name_last_comma_first)
    return append(append_separator(append(out, last, lasts), comma_separator), first, firsts);
  return append(append_separator(append(out, first, firsts), space_separator), last, lasts);
}

// The values of `column` at `rows`, through write_text() with a dictionary.
void write_rows(Writer& w, const StringColumn& column, const std::vector<std::uint32_t>& rows) {
  snapshot_text::write_text(
      w, rows.size(), [&](std::size_t k) { return column[rows[k]]; }, true);
}

// Both sections open with their row count (checked against `rows`) and the
// number of rows marked; returns the latter.
std::size_t read_mark_count(Reader& r, std::size_t rows, const std::string& what) {
  if (const std::uint64_t found = r.varint(); found != rows)
    r.fail("has " + std::to_string(found) + " " + what + ", expected " + std::to_string(rows));
  const std::uint64_t marked = r.varint();
  if (marked > rows) r.fail(std::to_string(marked) + " marked " + what + " for " + std::to_string(rows) + " rows");
  return static_cast<std::size_t>(marked);
}

// A column being read: room for its values' bytes (and the slack the block
// copies write past them) and its offsets, filled row by row.
struct ColumnUnderway {
  ColumnUnderway(Reader& r, std::size_t rows, std::uint64_t total_bytes) : total(total_bytes) {
    if (total > 0xFFFFFFFFull) r.fail("values add up to more than 4 GiB");
    bytes.assign(static_cast<std::size_t>(total) + snapshot_text::write_slack, '\0');
    offsets.assign(rows + 1, 0);
  }
  StringColumn finish() {
    bytes.resize(static_cast<std::size_t>(total));
    StringColumn column;
    column.assign(std::move(offsets), std::move(bytes));
    return column;
  }
  std::uint64_t total;
  std::string bytes;
  std::vector<std::uint32_t> offsets;
  std::size_t at = 0;  // where the next value goes
};

}  // namespace

std::vector<std::uint32_t> first_contacts(std::span<const std::uint32_t> contact_account, std::size_t accounts) {
  std::vector<std::uint32_t> first(accounts, no_contact);
  // Backwards, so that the lowest index is written last.
  for (std::size_t c = contact_account.size(); c-- > 0;) first[contact_account[c]] = static_cast<std::uint32_t>(c);
  return first;
}

void write_account_names(Writer& w, const Snapshot& s, std::span<const std::uint32_t> first) {
  const std::size_t n = s.account_count();
  std::vector<std::uint8_t> kinds(n, name_literal);
  std::size_t predicted = 0;
  for (std::size_t a = 0; a < n; ++a)
    if (const auto c = first[a]; c != no_contact) {
      kinds[a] = kind_of(s.account_name[a], s.contact_first_name[c], s.contact_last_name[c]);
      predicted += kinds[a] != name_literal;
    }
  if (!worth_marking(predicted, n)) predicted = 0;
  std::vector<std::uint32_t> literal_rows;
  literal_rows.reserve(n - predicted);
  for (std::size_t a = 0; a < n; ++a)
    if (predicted == 0 || kinds[a] == name_literal) literal_rows.push_back(static_cast<std::uint32_t>(a));
  w.varint(n);
  w.varint(predicted);
  if (predicted > 0) w.bytes(kinds.data(), n);
  write_rows(w, s.account_name, literal_rows);
}

void write_last_names(Writer& w, const Snapshot& s, std::span<const std::uint32_t> first) {
  const std::size_t n = s.contact_count();
  std::vector<std::uint8_t> shared_bits((n + 7) / 8, 0);
  std::size_t shared = 0;
  std::uint64_t shared_bytes = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const auto f = first[s.contact_account[c]];
    if (f != c && s.contact_last_name[f] == s.contact_last_name[c]) {
      shared_bits[c / 8] = static_cast<std::uint8_t>(shared_bits[c / 8] | 1u << (c % 8));
      ++shared;
      shared_bytes += s.contact_last_name[c].size();
    }
  }
  if (!worth_marking(shared, n)) shared = 0;
  std::vector<std::uint32_t> literal_rows;
  literal_rows.reserve(n - shared);
  for (std::size_t c = 0; c < n; ++c)
    if (shared == 0 || !(shared_bits[c / 8] >> (c % 8) & 1)) literal_rows.push_back(static_cast<std::uint32_t>(c));
  w.varint(n);
  w.varint(shared);
  if (shared > 0) {
    w.bytes(shared_bits.data(), shared_bits.size());
    w.varint(shared_bytes);
  }
  write_rows(w, s.contact_last_name, literal_rows);
}

StringColumn read_account_names(Reader& r, const Snapshot& s, std::span<const std::uint32_t> first) {
  const std::size_t n = first.size();
  const std::size_t predicted = read_mark_count(r, n, "names");
  std::span<const std::uint8_t> kinds;
  std::uint64_t predicted_bytes = 0;
  if (predicted > 0) {
    kinds = r.take(n);
    std::size_t marked = 0;
    for (std::size_t a = 0; a < n; ++a) {
      const std::uint8_t kind = kinds[a];
      if (kind == name_literal) continue;
      if (kind > name_first_space_last)
        r.fail("unknown kind " + std::to_string(kind) + " of account name " + std::to_string(a));
      if (first[a] == no_contact)
        r.fail("account " + std::to_string(a) + " is named after a first contact it does not have");
      ++marked;
      predicted_bytes += predicted_size(kind, s.contact_first_name[first[a]], s.contact_last_name[first[a]]);
    }
    if (marked != predicted)
      r.fail(std::to_string(marked) + " names are marked predicted, the section says " + std::to_string(predicted));
  }
  snapshot_text::TextReader literals(r, n - predicted);
  ColumnUnderway out(r, n, literals.total_bytes() + predicted_bytes);
  for (std::size_t a = 0; a < n; ++a) {
    if (kinds.empty() || kinds[a] == name_literal) {
      literals.write_next(out.bytes.data(), out.at);
    } else {
      const char* end = write_predicted(out.bytes.data() + out.at, kinds[a], s, first[a]);
      out.at = static_cast<std::size_t>(end - out.bytes.data());
    }
    out.offsets[a + 1] = static_cast<std::uint32_t>(out.at);
  }
  return out.finish();
}

StringColumn read_last_names(Reader& r, std::span<const std::uint32_t> contact_account,
                             std::span<const std::uint32_t> first) {
  const std::size_t n = contact_account.size();
  const std::size_t shared = read_mark_count(r, n, "last names");
  std::span<const std::uint8_t> shared_bits;
  std::uint64_t shared_bytes = 0;
  if (shared > 0) {
    shared_bits = r.take((n + 7) / 8);
    shared_bytes = r.varint();
    std::size_t marked = 0;
    for (std::size_t c = 0; c < n; ++c)
      if (shared_bits[c / 8] >> (c % 8) & 1) {
        if (first[contact_account[c]] == c)
          r.fail("contact " + std::to_string(c) + " is marked as sharing its own last name");
        ++marked;
      }
    if (n % 8 != 0 && shared_bits.back() >> (n % 8) != 0) r.fail("bits are set past the last contact");
    if (marked != shared)
      r.fail(std::to_string(marked) + " last names are marked shared, the section says " + std::to_string(shared));
  }
  snapshot_text::TextReader literals(r, n - shared);
  ColumnUnderway out(r, n, literals.total_bytes() + shared_bytes);
  std::uint64_t copied = 0;
  bool overran = false;
  for (std::size_t c = 0; c < n; ++c) {
    if (!shared_bits.empty() && shared_bits[c / 8] >> (c % 8) & 1) {
      // The first contact came earlier: its name is in the buffer already.
      const auto f = first[contact_account[c]];
      const std::uint32_t begin = out.offsets[f], size = out.offsets[f + 1] - begin;
      copied += size;
      if (copied > shared_bytes) {
        overran = true;
        break;
      }
      snapshot_text::copy_in_blocks(out.bytes.data() + out.at, out.bytes.data() + begin, size);
      out.at += size;
    } else {
      literals.write_next(out.bytes.data(), out.at);
    }
    out.offsets[c + 1] = static_cast<std::uint32_t>(out.at);
  }
  if (overran || copied != shared_bytes)
    r.fail("the shared last names do not add up to the " + std::to_string(shared_bytes) + " bytes the section says");
  return out.finish();
}

}  // namespace invites::snapshot_names
