#pragma once
// Text columns of the snapshot's compact form (format 4; private to common/).
// A column of n values is written as
//   varint n | dictionary: varint count, count varint lengths, varint total, bytes
//   | n varint codes (only with a dictionary: 0 = a literal, k = entry k - 1)
//   | varint literal count | per literal the varint length of the prefix it
//     shares with the previous literal | per literal the varint length of the
//     rest | varint total | the rests' bytes
// Values that repeat (names) cost a small code each; the others (account
// numbers, the sorted addresses) only what differs from their predecessor.
// Each part is a run of like bytes, which zstd on the wire packs well.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "snapshot_bytes.hpp"

namespace invites::snapshot_text {

// The dictionary is drawn from the first this many distinct values: bounded
// memory while the server encodes, and codes that fit 16 bits.
inline constexpr std::size_t max_dictionary = 65535;

inline std::size_t shared_prefix(std::string_view a, std::string_view b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin()).first -
                                  a.begin());
}

// Writes the n values value(0) .. value(n - 1) (string_views that stay valid
// during the call); with `dictionary`, values seen more than once are coded.
template <typename Value>
void write_text(snapshot_bytes::Writer& w, std::size_t n, Value&& value, bool dictionary) {
  w.varint(n);
  // Code of each row (0: literal), held only while this column is written.
  std::vector<std::uint16_t> codes;
  std::vector<std::string_view> entries;
  if (dictionary) {
    std::unordered_map<std::string_view, std::uint32_t> seen;  // value -> count, then -> code
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view v = value(i);
      if (auto found = seen.find(v); found != seen.end())
        ++found->second;
      else if (seen.size() < max_dictionary)
        seen.emplace(v, 1);
    }
    std::vector<std::pair<std::uint32_t, std::string_view>> repeated;
    for (const auto& [v, count] : seen)
      if (count > 1) repeated.emplace_back(count, v);
    // Most frequent first (small codes), then bytewise: the same input always gives the same bytes.
    std::sort(repeated.begin(), repeated.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (auto& entry : seen) entry.second = 0;
    for (const auto& [count, v] : repeated) {
      entries.push_back(v);
      seen[v] = static_cast<std::uint32_t>(entries.size());
    }
    if (!entries.empty()) {
      codes.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto found = seen.find(value(i));  // absent: a value past the first max_dictionary
        codes[i] = found == seen.end() ? 0 : static_cast<std::uint16_t>(found->second);
      }
    }
  }
  w.varint(entries.size());
  std::size_t entry_bytes = 0;
  for (const auto entry : entries) {
    w.varint(entry.size());
    entry_bytes += entry.size();
  }
  w.varint(entry_bytes);
  for (const auto entry : entries) w.bytes(entry.data(), entry.size());
  for (const auto code : codes) w.varint(code);

  const auto is_literal = [&](std::size_t i) { return codes.empty() || codes[i] == 0; };
  // Visits each literal with the length of the prefix it shares with the previous one.
  const auto for_each_literal = [&](auto&& visit) {
    std::string_view previous;
    for (std::size_t i = 0; i < n; ++i) {
      if (!is_literal(i)) continue;
      const std::string_view v = value(i);
      visit(v, shared_prefix(previous, v));
      previous = v;
    }
  };
  std::size_t literals = 0, rest_bytes = 0;
  for_each_literal([&](std::string_view v, std::size_t shared) {
    ++literals;
    rest_bytes += v.size() - shared;
  });
  w.varint(literals);
  for_each_literal([&](std::string_view, std::size_t shared) { w.varint(shared); });
  for_each_literal([&](std::string_view v, std::size_t shared) { w.varint(v.size() - shared); });
  w.varint(rest_bytes);
  for_each_literal([&](std::string_view v, std::size_t shared) { w.bytes(v.data() + shared, v.size() - shared); });
}

// A column written by write_text(), checked whole when constructed (a
// SnapshotFormatError from the reader names the problem); its values then
// come out in order through write_next().
class TextReader {
 public:
  TextReader(snapshot_bytes::Reader& r, std::size_t n);
  // The bytes of all values together.
  std::size_t total_bytes() const { return total_bytes_; }
  // Writes the next value at out[at ..] and advances `at` past it. The
  // previous literal is read back from `out`: every value goes into the same
  // buffer, which has room for total_bytes() (and is not moved meanwhile).
  void write_next(char* out, std::size_t& at) noexcept;

 private:
  std::span<const std::uint8_t> entry_bytes_;
  std::vector<std::uint32_t> entry_offsets_;
  snapshot_bytes::Reader codes_, shared_, rests_;
  std::span<const std::uint8_t> rest_bytes_;
  std::size_t rest_at_ = 0, previous_literal_at_ = 0, total_bytes_ = 0;
};

}  // namespace invites::snapshot_text
