#pragma once
// The results of Load kept for recipient review and Send (docs/design.md §5): each
// preview remembers who made it, the filter, the evaluation and the snapshot
// it was computed on. Bounded (per user and in total, oldest evicted) and
// expiring.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include <unordered_map>

#include "invites/evaluator.hpp"
#include "invites/filter.hpp"
#include "invites/snapshot.hpp"

namespace invites::service {

// Portal statuses and suppressions newer than a snapshot's own columns (see
// SnapshotIndex::current_for_load): ~10 bytes per address, so applying the
// tool's own portal_users and address_suppressions writes never copies the
// snapshot.
struct PortalState {
  std::vector<PortalStatus> status;
  std::vector<std::int64_t> last_invited_at;
  std::vector<std::uint8_t> suppressed;
};
// The columns to read: `portal`'s, or the snapshot's own when it is null.
PortalColumns portal_columns_of(const Snapshot& snapshot, const PortalState* portal);

struct Preview {
  std::string id;  // 128 random bits, hex
  std::uint64_t owner_user_id = 0;
  Filter filter;
  std::shared_ptr<const Evaluation> evaluation;
  // The snapshot it was computed on, and its portal statuses then or later
  // (see rebase()); null portal: the snapshot's own.
  std::shared_ptr<const Snapshot> snapshot;
  std::shared_ptr<const PortalState> portal;
  std::uint64_t generation = 0;  // SnapshotState::generation
  std::chrono::system_clock::time_point created_at;
};

struct PreviewStoreLimits {
  std::size_t per_user = 20;
  std::size_t total = 200;
  std::chrono::seconds lifetime{3600};
  // Memory of all evaluations together (a Load of every contact at 1M
  // accounts holds ~11 MB); the oldest previews go first, never the newest.
  // An evicted preview's review evaluates its stored filter again
  // (SharedPreviews). Budgeted beside two snapshots and a build's scratch
  // (docs/design.md §8: 512 MB at 1M accounts): at 96 MB, Loads during a
  // job and a rebuild took the server to 561 MB.
  std::size_t max_bytes = 32u << 20;
  // Snapshot generations previews may keep alive (each is a full build of
  // the data): previews of older generations are evicted. With 1, the first
  // Load after a rebuild frees the previous snapshot instead of it staying
  // beside the new one (measured 522 MB at 1M accounts with a job sending).
  std::size_t max_generations = 1;
};

class PreviewStore {
 public:
  explicit PreviewStore(PreviewStoreLimits limits = {});

  // Stores a new preview and returns it. Its id is a new random one, or
  // `id` for one made on another server (service/shared_previews.hpp).
  std::shared_ptr<const Preview> add(std::uint64_t owner_user_id, Filter filter, Evaluation evaluation,
                                     std::shared_ptr<const Snapshot> snapshot, std::uint64_t generation = 0,
                                     std::shared_ptr<const PortalState> portal = nullptr, std::string id = {});
  // Points the previews of `generation` at `portal` (newer statuses of the
  // same build), so superseded status copies are freed. Their evaluations
  // stay as computed.
  void rebase(std::uint64_t generation, const std::shared_ptr<const PortalState>& portal);
  // Drops the previews of generations before `generation` (their snapshots
  // are freed once no request reads them): called when a new build starts.
  void drop_generations_before(std::uint64_t generation);
  // The preview if it exists, has not expired and belongs to `owner_user_id`.
  std::shared_ptr<const Preview> find(const std::string& id, std::uint64_t owner_user_id);
  std::size_t size() const;
  const PreviewStoreLimits& limits() const { return limits_; }

 private:
  void evict_expired(std::chrono::system_clock::time_point now);
  void erase(const std::string& id);

  PreviewStoreLimits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Preview>> by_id_;
  std::deque<std::string> order_;  // ids, oldest first (may hold ids already erased)
  std::size_t bytes_ = 0;          // evaluation_bytes() of the stored previews
  std::unordered_map<std::uint64_t, std::deque<std::string>> by_user_;
};

// Memory held by an evaluation's result lists.
std::size_t evaluation_bytes(const Evaluation& evaluation);

// 128 bits from the system's CSPRNG, as 32 lowercase hex digits.
std::string random_hex_id();

}  // namespace invites::service
