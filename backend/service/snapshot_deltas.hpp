#pragma once
// The recent deltas of the offline copy (docs/design.md §7): when a state
// replaces another, what changed is kept, so that GET /api/snapshot can
// answer a browser holding an older copy with the changes alone. No old
// snapshot is kept:
//   - a rebuild is encoded as a delta (SnapshotDelta::encode) while the old
//     and the new snapshot are both in memory, before the old one goes;
//   - a portal overlay (SnapshotIndex::current_for_load) shares the snapshot
//     and only records which address positions it changed; a delta from an
//     overlay state of the current build takes their values from the current
//     state on request, and at the next rebuild these become stored deltas
//     to the build's last state.
// Stored deltas are bounded by count and total bytes (the oldest go first).
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
  // `newer`, a new build, replaces `older`. Encodes the delta (seconds at 1M
  // accounts): call it on the build thread, before `older` is released.
  void rebuilt(const SnapshotState& older, const SnapshotState& newer);
  // The deltas, back to back, from the copy with digest `held` to `current`;
  // nullopt when they are not kept (or `held` is current).
  std::optional<std::string> between(std::uint64_t held, const SnapshotState& current) const;

 private:
  struct Link {
    std::uint64_t base_digest, result_digest;
    std::string bytes;
  };
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
  std::deque<Link> links_;  // oldest first
  std::size_t bytes_ = 0;
  std::uint64_t steps_generation_ = 0;  // the build steps_ belong to
  std::uint32_t steps_first_ = 0;       // the overlay_step of the state steps_[0] replaced
  std::vector<Step> steps_;
};

}  // namespace invites::service
