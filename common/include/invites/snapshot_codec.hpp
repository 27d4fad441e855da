#pragma once
// The compact binary form of a Snapshot. Layout (little endian):
//   magic "BPISNAP1" | u32 format version | u32 section count | u64 generated_at
//   | u64 payload length | u64 xxh3 checksum of the payload | payload
// The payload is a sequence of sections (u32 tag, u64 length, bytes); integer
// columns are LEB128 varints (ascending ids delta-coded), strings are varint
// lengths followed by the bytes. Every length is checked before it is used:
// a truncated, corrupt or foreign buffer is a SnapshotFormatError, never an over-read.
#include <cstdint>
#include <span>
#include <string>

#include "invites/snapshot.hpp"

namespace invites {

inline constexpr std::uint32_t snapshot_format_version = 1;

class SnapshotCodec {
 public:
  static std::string encode(const Snapshot& snapshot);
  static Snapshot decode(std::span<const std::uint8_t> bytes);
  static Snapshot decode(std::string_view bytes) {
    return decode(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  }
};

}  // namespace invites
