#pragma once
// What changed between two states of the offline copy (docs/design.md §7), so
// that a browser holding the older encoded form can refresh it with a few
// kilobytes instead of the whole file. Layout (little endian):
//   magic "BPIDELT1" | u32 snapshot format version | u64 digest of the copy it
//   applies to | u64 digest of the result | u64 payload length | u64 xxh3 of
//   the payload | payload
// The digests are SnapshotLayout::digest of the two encoded forms. The payload
// (LEB128 varints; ascending ids and positions coded as gaps; strings as a
// length and the bytes): the result's generated_at; the account ids removed
// and the accounts added or changed (whole rows); the same for contacts (with
// the account's id and the address's position in the result); the positions
// of the addresses removed and the addresses added (sorted); the portal
// entries (position in the result, status | suppressed << 6, last invitation)
// that differ from the older copy's or are new. Deltas may be sent back to
// back, each applying to the previous one's result.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "invites/snapshot.hpp"

namespace invites {

// The Content-Type of GET /api/snapshot when it answers with deltas.
inline constexpr std::string_view snapshot_delta_content_type = "application/vnd.invites.snapshot-delta";

// A snapshot as it is encoded: with the portal columns it is sent with and the
// digest of that encoded form.
struct SnapshotVersion {
  const Snapshot& snapshot;
  PortalColumns portal;
  std::uint64_t digest = 0;
};

class SnapshotDelta {
 public:
  // The delta that turns `older` into `newer`.
  static std::string encode(const SnapshotVersion& older, const SnapshotVersion& newer);
  // The same, or nullopt as soon as its payload grows past `limit` bytes (a
  // change so large that the full copy serves better): memory stays bounded.
  static std::optional<std::string> encode_within(const SnapshotVersion& older, const SnapshotVersion& newer,
                                                  std::size_t limit);
  // encode_within() in two steps, for a newer copy whose digest is worked out
  // later (the server does so once the older snapshot is released): the
  // payload, then seal() with both digests gives encode_within()'s bytes.
  static std::optional<std::string> payload_within(const SnapshotVersion& older, const Snapshot& newer,
                                                   const PortalColumns& newer_portal, std::size_t limit);
  static std::string seal(std::string_view payload, std::uint64_t base_digest, std::uint64_t result_digest);
  // The delta between two portal states of one snapshot: the addresses at
  // `changed` (ascending positions) take `newer`'s values, nothing else differs.
  static std::string encode_portal(const Snapshot& snapshot, const PortalColumns& newer,
                                   std::span<const std::uint32_t> changed, std::uint64_t base_digest,
                                   std::uint64_t result_digest);
  // Applies one or more deltas (back to back) to `base` with its own portal
  // columns. The result's SnapshotCodec::encode is the newer copy's, byte for
  // byte. SnapshotFormatError names the problem when a delta applies to
  // another copy, is truncated or corrupt, or does not give the digest it names.
  static Snapshot apply(const Snapshot& base, std::span<const std::uint8_t> deltas);
  static Snapshot apply(const Snapshot& base, std::string_view deltas) {
    return apply(base, std::span(reinterpret_cast<const std::uint8_t*>(deltas.data()), deltas.size()));
  }
};

}  // namespace invites
