#pragma once
// The recent deltas of the offline copy (docs/design.md §7): when a state
// replaces another, what changed is kept, so that GET /api/snapshot can
// answer a browser holding an older copy with the changes alone. No old
// snapshot is kept:
//   - a rebuild is encoded as a delta (SnapshotDelta::payload_within) while
//     the old and the new snapshot are both in memory, before the old one
//     goes, and sealed with the new one's digest after it went (that digest
//     takes a pass over the whole new snapshot, which then no longer comes
//     on top of two snapshots in memory);
//   - a portal overlay (SnapshotIndex::current_for_load) shares the snapshot
//     and only records which address positions it changed; a delta from an
//     overlay state of the current build takes their values from the current
//     state on request, and at the next rebuild these become stored deltas
//     to the build's last state.
// Stored deltas are bounded by count and total bytes (the oldest go first).
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace invites::service {

class SnapshotState;

class SnapshotDeltas {
 public:
  SnapshotDeltas(std::size_t max_links, std::size_t max_bytes) : max_links_(max_links), max_bytes_(max_bytes) {}

  // A state of the same build replaces `older`, with the portal entries at
  // the address positions `changed` updated. Cheap: on the Load path.
  void overlaid(const SnapshotState& older, std::vector<std::uint32_t> changed);
  struct Link {
    std::uint64_t base_digest, result_digest;
    std::string bytes;
  };
  // What a rebuild keeps once the new build's digest is known.
  struct PendingRebuild {
    std::vector<Link> links;  // from copies of the old build's overlays to its last state
    std::uint64_t older_digest = 0;
    std::optional<std::string> payload;  // of the delta to the new build; nullopt: too large to keep
  };
  // `newer`, a new build, is to replace `older`: encodes what changed (a
  // second or two at 1M accounts). Call it on the build thread, before
  // `older` is released.
  PendingRebuild prepare_rebuild(const SnapshotState& older, const SnapshotState& newer);
  // `newer` replaced the old build: works out its digest and keeps the deltas.
  // Meanwhile between() for `newer` waits for them.
  void rebuilt(PendingRebuild pending, const SnapshotState& newer);
  // The deltas, back to back, from the copy with digest `held` to `current`;
  // nullopt when they are not kept (or `held` is current).
  std::optional<std::string> between(std::uint64_t held, const SnapshotState& current) const;

 private:
  // One overlay of the current build: the state it replaced (its digest when
  // a browser was given it) and the positions it changed.
  struct Step {
    std::optional<std::uint64_t> base_digest;
    std::vector<std::uint32_t> changed;
  };
  // The positions changed by steps[from..]: ascending, distinct.
  static std::vector<std::uint32_t> changed_since(const std::vector<Step>& steps, std::size_t from);
  void keep(Link link);

  const std::size_t max_links_, max_bytes_;
  mutable std::mutex mutex_;
  mutable std::condition_variable sealed_;
  std::optional<std::uint64_t> sealing_;  // the generation prepare_rebuild() was for, until rebuilt() ends
  std::deque<Link> links_;                // oldest first
  std::size_t bytes_ = 0;
  std::uint64_t steps_generation_ = 0;  // the build steps_ belong to
  std::uint32_t steps_first_ = 0;       // the overlay_step of the state steps_[0] replaced
  std::vector<Step> steps_;
};

}  // namespace invites::service
