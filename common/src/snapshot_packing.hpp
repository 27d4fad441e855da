#pragma once
// Columns of small numbers (snapshot format 5: the account lookups and flags,
// the contacts' billing flag; private to common/), packed several rows to a
// byte when every value fits: zstd's Huffman coder spends at least a bit on
// each byte, and more than a byte's information on bytes of a few skewed
// values, so two, four or eight rows to a byte come out smaller (about
// 0.3 MB at 2M contacts).
//   varint n | byte: bits per row (1, 2 or 4, rows from the low bits up; 0:
//   a varint per row) | the rows
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "snapshot_bytes.hpp"

namespace invites::snapshot_packing {

template <typename T>
void write_small(snapshot_bytes::Writer& w, const std::vector<T>& values) {
  std::uint64_t most = 0;
  for (const T v : values) most = std::max<std::uint64_t>(most, v);
  const std::uint8_t bits = most < 2 ? 1 : most < 4 ? 2 : most < 16 ? 4 : 0;
  w.varint(values.size());
  w.bytes(&bits, 1);
  if (bits == 0) {
    for (const T v : values) w.varint(v);
    return;
  }
  const std::size_t per_byte = 8 / bits;
  for (std::size_t i = 0; i < values.size(); i += per_byte) {
    unsigned byte = 0;
    for (std::size_t k = 0; k < per_byte && i + k < values.size(); ++k)
      byte |= static_cast<unsigned>(values[i + k]) << (k * bits);
    const auto packed = static_cast<std::uint8_t>(byte);
    w.bytes(&packed, 1);
  }
}

// The `expected` values of write_small(), each at most `max_value` (a
// SnapshotFormatError names a malformed column).
template <typename T>
std::vector<T> read_small(snapshot_bytes::Reader& r, std::size_t expected, std::uint64_t max_value) {
  if (const std::uint64_t n = r.varint(); n != expected)
    r.fail("has " + std::to_string(n) + " entries, expected " + std::to_string(expected));
  const std::uint8_t bits = r.take(1)[0];
  std::vector<T> values(expected);
  std::uint64_t most = 0;
  if (bits == 0) {
    for (auto& value : values) {
      std::uint64_t v;
      if (!r.try_varint(v)) r.fail("malformed integer column");
      most = std::max(most, v);
      value = static_cast<T>(std::min<std::uint64_t>(v, max_value));
    }
  } else if (bits == 1 || bits == 2 || bits == 4) {
    const std::size_t per_byte = 8 / bits;
    const auto packed = r.take((expected + per_byte - 1) / per_byte);
    const unsigned mask = (1u << bits) - 1;
    for (std::size_t i = 0; i < expected; ++i) {
      const unsigned v = packed[i / per_byte] >> (i % per_byte * bits) & mask;
      most = std::max<std::uint64_t>(most, v);
      values[i] = static_cast<T>(v);
    }
    if (const std::size_t used = expected % per_byte; used != 0 && packed.back() >> (used * bits) != 0)
      r.fail("bits are set past the last row");
  } else {
    r.fail("unknown packing of " + std::to_string(bits) + " bits per row");
  }
  if (most > max_value) r.fail("value " + std::to_string(most) + " out of range");
  return values;
}

}  // namespace invites::snapshot_packing
