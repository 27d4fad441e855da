#include "snapshot_surgery.hpp"

#include <cstdint>
#include <stdexcept>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "invites/snapshot_codec.hpp"

namespace invites::testing {
namespace {

constexpr std::size_t length_offset = 24, checksum_offset = 32;

std::uint64_t fixed(const std::string& buffer, std::size_t at, int width) {
  std::uint64_t v = 0;
  for (int i = 0; i < width; ++i) v |= std::uint64_t{static_cast<std::uint8_t>(buffer.at(at + i))} << (8 * i);
  return v;
}

void put_u64(std::string& buffer, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) buffer[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

void reseal(std::string& buffer) {
  if (buffer.size() < snapshot_payload_offset) return;
  const std::size_t length = buffer.size() - snapshot_payload_offset;
  put_u64(buffer, checksum_offset, XXH3_64bits(buffer.data() + snapshot_payload_offset, length));
  put_u64(buffer, length_offset, length);
}

SectionBody section_body(const std::string& buffer, std::string_view name) {
  for (std::size_t at = snapshot_payload_offset; at + 12 <= buffer.size();) {
    const auto tag = static_cast<std::uint32_t>(fixed(buffer, at, 4));
    const auto length = static_cast<std::size_t>(fixed(buffer, at + 4, 8));
    const char* found = SnapshotCodec::section_name(tag);
    if (found != nullptr && name == found) return {at + 12, length};
    at += 12 + length;
  }
  throw std::runtime_error("no section " + std::string(name) + " in the snapshot");
}

}  // namespace invites::testing
