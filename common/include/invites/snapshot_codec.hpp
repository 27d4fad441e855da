#pragma once
// The compact binary form of a Snapshot. Layout (little endian):
//   magic "BPISNAP1" | u32 format version | u32 section count | u64 generated_at
//   | u64 payload length | u64 xxh3 checksum of the payload | payload
// The payload is a sequence of sections (u32 tag, u64 length, bytes), coded
// for size under zstd on the wire (format 5): integer columns are LEB128
// varints (ascending ids delta-coded), the account lookups and flags and the
// billing flag packed 2-8 rows to a byte when their values fit
// (common/src/snapshot_packing.hpp), an account's site sources a byte of
// bits when every id is from 1 to 8; names go through a dictionary, except
// account names made from their first contact's names and last names shared
// with it, which are only marked (common/src/snapshot_names.hpp); account
// numbers are front-coded, the sorted addresses front-coded up to their last
// '@' with the domains dictionary-coded (common/src/snapshot_text.hpp); each
// contact's address index is a difference from that of one of the previous
// 128 contacts; invitation times are byte planes. Every length is checked before it is used:
// a truncated, corrupt or foreign buffer is a SnapshotFormatError, never an over-read.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "invites/snapshot.hpp"

namespace invites {

// 2: the email_status bytes carry the address's validity in bit 7.
// 3: and its suppression (docs/design.md §11) in bit 6.
// 4: coded for size (snapshot_text.hpp, snapshot_codec.cpp): dictionaries, front-coding, address references.
// 5: account names and last names coded against the contacts' names (snapshot_names.hpp),
//    small columns packed several rows to a byte (snapshot_packing.hpp), site sources as bits.
inline constexpr std::uint32_t snapshot_format_version = 5;

// Bytes held outside the decoder's memory (a JavaScript ArrayBuffer in the
// browser): decode(ByteSource&) copies in one section at a time, so the whole
// file never has to sit in the WebAssembly heap beside the decoded columns.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t size() const = 0;
  // Copies bytes [offset, offset + n) to out; offset + n <= size().
  virtual void read(std::size_t offset, std::uint8_t* out, std::size_t n) = 0;
};

// What encode() writes, short of the bytes, from one pass that keeps none of
// them: enough to stream the encoded form header first (the header carries
// the payload's length and checksum) without ever holding it whole.
struct SnapshotLayout {
  std::size_t size = 0;  // of the whole encoded form
  std::uint64_t payload_checksum = 0;
  std::int64_t generated_at = 0;
  std::vector<std::uint64_t> section_sizes;
  // Changes with any byte of the encoded form: the xxh3 of its header, which
  // carries the payload's checksum.
  std::uint64_t digest = 0;
};

// What layout() works out from the sections that do not depend on the portal
// columns (all but the last two: the statuses and invitation times): the same
// for every set of portal columns of one snapshot. With it, the layout of a
// snapshot under new portal columns (the server's portal overlays) passes
// over those two sections only, instead of coding the whole snapshot again.
class SnapshotLayoutBase {
 public:
  SnapshotLayoutBase(SnapshotLayoutBase&&) noexcept;
  SnapshotLayoutBase& operator=(SnapshotLayoutBase&&) noexcept;
  ~SnapshotLayoutBase();

 private:
  friend class SnapshotCodec;
  SnapshotLayoutBase() = default;
  struct Hashed;  // the checksum's state after those sections
  std::unique_ptr<Hashed> hashed_;
  std::int64_t generated_at_ = 0;
  std::vector<std::uint64_t> section_sizes_;
};

class SnapshotCodec {
 public:
  // Same checks and result as decode(span); reads section by section.
  static Snapshot decode(ByteSource& source);
  static std::string encode(const Snapshot& snapshot);
  // With the portal statuses of `portal` instead of the snapshot's own.
  static std::string encode(const Snapshot& snapshot, const PortalColumns& portal);
  static SnapshotLayout layout(const Snapshot& snapshot, const PortalColumns& portal);
  static SnapshotLayoutBase layout_base(const Snapshot& snapshot);
  // The same as layout(snapshot, portal); `base` must be layout_base(snapshot)
  // (std::logic_error when it visibly is not).
  static SnapshotLayout layout(const Snapshot& snapshot, const PortalColumns& portal, const SnapshotLayoutBase& base);
  // The bytes of encode(snapshot, portal), handed to `sink` in pieces of
  // about 256 KB; `layout` must be layout(snapshot, portal) (std::logic_error
  // when it visibly is not).
  static void encode(const Snapshot& snapshot, const PortalColumns& portal, const SnapshotLayout& layout,
                     const std::function<void(std::string_view piece)>& sink);
  static Snapshot decode(std::span<const std::uint8_t> bytes);
  // The name of the payload section with this tag (nullptr for an unknown
  // one): what error messages and the benchmark's per-section figures call it.
  static const char* section_name(std::uint32_t tag);
  static Snapshot decode(std::string_view bytes) {
    return decode(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  }
};

}  // namespace invites
