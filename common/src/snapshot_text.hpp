#pragma once
// Text columns of the snapshot's compact form (formats 4 and 5; private to common/).
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
#include <cstring>
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
inline constexpr std::uint16_t max_dictionary = 65535;

inline std::size_t shared_prefix(std::string_view a, std::string_view b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin()).first -
                                  a.begin());
}

// Writes the n values value(0) .. value(n - 1) (string_views that stay valid
// during the call); with `dictionary`, values seen more than once are coded.
template <typename Value>
void write_text(snapshot_bytes::Writer& w, std::size_t n, Value&& value, bool dictionary) {
  w.varint(n);
  // Per row, held only while this column is written: its code (0: a
  // literal); per literal, the prefix it shares with the previous literal
  // (at most 65535: sharing less is as valid).
  std::vector<std::uint16_t> codes, shared;
  std::vector<std::string_view> entries;
  if (dictionary) {
    // First the slot of each row's value in the order first seen (absent: past max_dictionary).
    constexpr std::uint16_t absent = max_dictionary;
    std::unordered_map<std::string_view, std::uint16_t> slot_of;
    std::vector<std::pair<std::uint32_t, std::string_view>> slots;  // count, value
    codes.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view v = value(i);
      auto [found, added] = slot_of.try_emplace(v, static_cast<std::uint16_t>(slots.size()));
      if (added && slots.size() == max_dictionary) {
        slot_of.erase(found);
        codes[i] = absent;
        continue;
      }
      if (added) slots.emplace_back(0, v);
      codes[i] = found->second;
      ++slots[found->second].first;
    }
    // Values seen more than once get codes, the most frequent first (small
    // codes), then bytewise: the same input always gives the same bytes.
    std::vector<std::uint16_t> order;
    for (std::size_t k = 0; k < slots.size(); ++k)
      if (slots[k].first > 1) order.push_back(static_cast<std::uint16_t>(k));
    std::sort(order.begin(), order.end(), [&](std::uint16_t a, std::uint16_t b) {
      return slots[a].first != slots[b].first ? slots[a].first > slots[b].first : slots[a].second < slots[b].second;
    });
    std::vector<std::uint16_t> code_of_slot(slots.size() + 1, 0);  // the last: absent
    for (const auto k : order) {
      entries.push_back(slots[k].second);
      code_of_slot[k] = static_cast<std::uint16_t>(entries.size());
    }
    for (auto& code : codes) code = code_of_slot[std::min<std::size_t>(code, slots.size())];
    if (entries.empty()) std::vector<std::uint16_t>().swap(codes);
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
  std::size_t rest_bytes = 0;
  {
    std::string_view previous;
    for (std::size_t i = 0; i < n; ++i)
      if (is_literal(i)) {
        const std::string_view v = value(i);
        shared.push_back(static_cast<std::uint16_t>(std::min<std::size_t>(shared_prefix(previous, v), 65535)));
        rest_bytes += v.size() - shared.back();
        previous = v;
      }
  }
  // Visits each literal with its shared prefix's length.
  const auto for_each_literal = [&](auto&& visit) {
    for (std::size_t i = 0, k = 0; i < n; ++i)
      if (is_literal(i)) visit(value(i), std::size_t{shared[k++]});
  };
  w.varint(shared.size());
  for (const auto length : shared) w.varint(length);
  for_each_literal([&](std::string_view v, std::size_t prefix) { w.varint(v.size() - prefix); });
  w.varint(rest_bytes);
  for_each_literal([&](std::string_view v, std::size_t prefix) { w.bytes(v.data() + prefix, v.size() - prefix); });
}

// Copies n bytes in blocks of 8 (in WebAssembly memory.copy of a few bytes
// costs far more than two plain loads and stores): reads up to 7 bytes past
// src + n and writes up to 7 past dst + n. Reading dst's own earlier bytes
// (a shared prefix) is fine: each block is read before it is written.
inline void copy_in_blocks(char* dst, const char* src, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; i += 8) {
    std::uint64_t block;
    std::memcpy(&block, src + i, 8);
    std::memcpy(dst + i, &block, 8);
  }
}

// Room a buffer written by TextReader::write_next() needs past total_bytes().
inline constexpr std::size_t write_slack = 8;

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
  // buffer, which has room for total_bytes() + write_slack (and is not moved
  // meanwhile); the bytes past the values written so far are scratch.
  void write_next(char* out, std::size_t& at) noexcept {
    // Everything was checked by the constructor: the varints are well formed and in range.
    std::uint64_t code = 0;
    if (has_dictionary_) codes_.try_varint(code);
    if (code != 0) {
      const std::uint32_t begin = entry_offsets_[code - 1], size = entry_offsets_[code] - begin;
      copy_in_blocks(out + at, entry_bytes_.data() + begin, size);  // padded when constructed
      at += size;
      return;
    }
    std::uint64_t prefix = 0, rest = 0;
    shared_.try_varint(prefix);
    rests_.try_varint(rest);
    // The previous literal ends at or before `at`: its prefix reads only bytes already written.
    copy_in_blocks(out + at, out + previous_literal_at_, static_cast<std::size_t>(prefix));
    const char* from = reinterpret_cast<const char*>(rest_bytes_.data()) + rest_at_;
    if (rest_at_ + rest + 8 <= rest_bytes_.size())
      copy_in_blocks(out + at + prefix, from, static_cast<std::size_t>(rest));
    else  // the last few literals: no bytes to over-read past them
      std::memcpy(out + at + prefix, from, static_cast<std::size_t>(rest));
    rest_at_ += static_cast<std::size_t>(rest);
    previous_literal_at_ = at;
    at += static_cast<std::size_t>(prefix + rest);
  }

 private:
  std::vector<char> entry_bytes_;  // the dictionary's values, then 8 bytes of padding
  std::vector<std::uint32_t> entry_offsets_;
  bool has_dictionary_ = false;
  snapshot_bytes::Reader codes_, shared_, rests_;
  std::span<const std::uint8_t> rest_bytes_;
  std::size_t rest_at_ = 0, previous_literal_at_ = 0, total_bytes_ = 0;
};

}  // namespace invites::snapshot_text
