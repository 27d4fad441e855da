#pragma once
// The server's in-memory index for Load (docs/design.md §2, §8): the snapshot of the
// billing data, built on a background thread at start, rebuilt periodically
// and on demand, and kept current with the tool's own portal_users and address_suppressions writes
// before every Load. Readers take a shared_ptr to an immutable state and never
// wait for a rebuild; a new state is published by a pointer swap.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <cppconn/connection.h>

#include "invites/snapshot.hpp"
#include "invites/snapshot_codec.hpp"
#include "repository/lookups.hpp"
#include "service/preview_store.hpp"
#include "service/snapshot_deltas.hpp"

namespace invites::service {

// The offline copy of a state (GET /api/snapshot) is streamed: its layout
// (sizes and checksums, SnapshotCodec::layout) is worked out on the first
// request and kept, the bytes are encoded again for every download.
struct SnapshotDownload {
  SnapshotLayout layout;
  std::string etag;  // "\"<16 hex digits>\"": the layout's digest
};

// The part of the layout that is the same for a build and all its portal
// overlays (SnapshotLayoutBase), worked out once for them all: an overlay's
// layout then passes over its portal columns only, where a whole pass over a
// 1M-account snapshot takes seconds and some 20 MB besides (measured: it
// came on top of two snapshots in memory at the end of a rebuild).
class BuildLayout {
 public:
  const SnapshotLayoutBase& base_of(const Snapshot& snapshot);

 private:
  std::once_flag once_;
  std::optional<SnapshotLayoutBase> base_;
};

class SnapshotState {
 public:
  // A build's own state.
  SnapshotState(std::uint64_t generation, std::shared_ptr<const Snapshot> snapshot,
                std::shared_ptr<const repository::Lookups> lookups, std::shared_ptr<const KnownIds> known)
      : generation(generation),
        overlay_step(0),
        snapshot(std::move(snapshot)),
        lookups(std::move(lookups)),
        known_ids(std::move(known)),
        build_layout_(std::make_shared<BuildLayout>()) {}
  // `base` with newer portal statuses: its next overlay.
  SnapshotState(const SnapshotState& base, std::shared_ptr<const PortalState> portal)
      : generation(base.generation),
        overlay_step(base.overlay_step + 1),
        snapshot(base.snapshot),
        portal(std::move(portal)),
        lookups(base.lookups),
        known_ids(base.known_ids),
        build_layout_(base.build_layout_) {}

  // Which build the data comes from. States derived from a build by applying
  // portal_users changes keep its generation and its snapshot; only their
  // portal statuses differ.
  const std::uint64_t generation;
  // How many portal overlays lie between this state and its build's own (0).
  const std::uint32_t overlay_step;

  const std::shared_ptr<const Snapshot> snapshot;
  // Newer portal statuses than the snapshot's own columns (null: none yet).
  const std::shared_ptr<const PortalState> portal;
  PortalColumns portal_columns() const { return portal_columns_of(*snapshot, portal.get()); }
  const std::shared_ptr<const repository::Lookups> lookups;  // read with the snapshot
  const std::shared_ptr<const KnownIds> known_ids;
  std::int64_t generated_at() const { return snapshot->generated_at; }
  double age_seconds() const;
  // Made once (thread-safe); later calls return the same.
  const SnapshotDownload& download() const;
  // download()'s digest if it has been made (a browser may hold this copy).
  std::optional<std::uint64_t> known_digest() const;
  // SnapshotCodec::encode of this state in pieces.
  void encode(const std::function<void(std::string_view)>& sink) const;

 private:
  const std::shared_ptr<BuildLayout> build_layout_;
  mutable std::once_flag download_once_;
  mutable std::unique_ptr<SnapshotDownload> download_;
  mutable std::atomic<bool> download_made_{false};
};

// Load was asked before the first snapshot finished: 503 "snapshot_loading".
class SnapshotLoading : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SnapshotIndex {
 public:
  using ConnectionFactory = std::function<std::unique_ptr<sql::Connection>()>;

  // `connect` opens a dedicated connection for builds (they take seconds at 1M accounts).
  SnapshotIndex(ConnectionFactory connect, std::chrono::seconds refresh_interval);
  ~SnapshotIndex();  // stop()
  SnapshotIndex(const SnapshotIndex&) = delete;
  SnapshotIndex& operator=(const SnapshotIndex&) = delete;

  // Starts the background thread: a build now, then every refresh_interval
  // (0 = only on request) and whenever refresh() is called.
  void start();
  void stop();
  // Builds once on the calling thread (tests, tools). Throws on failure.
  void build_now();
  // Asks the background thread for a rebuild and returns at once.
  void request_refresh();
  // Before start(): whoever keeps states alive is told which generations may
  // go (those before the one given), for rebuilds (not the first build):
  // when one begins, with the generation current then (one snapshot is built
  // next to the current one, never next to two), and when it is published,
  // with its own (the old snapshot goes before the new one's layout pass).
  void on_release_before(std::function<void(std::uint64_t generation)> callback) {
    release_before_ = std::move(callback);
  }

  // The current state, or nullptr while the first build runs.
  std::shared_ptr<const SnapshotState> current() const;
  // As current(), after applying the portal_users changes since the last
  // check (read with `connection`), so the tool's own writes show in the very
  // next Load. Throws SnapshotLoading before the first build.
  std::shared_ptr<const SnapshotState> current_for_load(sql::Connection& connection);

  // The deltas from the copy with digest `held` to `current` (back to back),
  // when this server kept them (SnapshotDeltas).
  std::optional<std::string> deltas_between(std::uint64_t held, const SnapshotState& current) const {
    return deltas_.between(held, current);
  }

  std::uint64_t build_count() const;
  std::optional<std::string> last_error() const;  // of the last failed build, cleared by a good one
  bool building() const;

 private:
  void run();
  // Gives up with repository::SnapshotLoadCancelled once `cancel` is set.
  void build(sql::Connection& connection, const std::atomic<bool>& cancel);
  void publish(std::shared_ptr<const SnapshotState> state, std::int64_t watermark);

  ConnectionFactory connect_;
  std::chrono::seconds interval_;
  std::function<void(std::uint64_t)> release_before_;
  mutable std::mutex mutex_;  // guards everything below; never held during a build or a query
  std::condition_variable wake_;
  std::shared_ptr<const SnapshotState> state_;
  std::int64_t watermark_ = 0;  // portal_users changes at or after this unix second are not yet applied
  std::uint64_t builds_ = 0;
  std::atomic<std::uint64_t> next_generation_{1};
  std::atomic<std::uint64_t> build_connection_id_{0};  // CONNECTION_ID() of the build's connection, for stop()
  std::atomic<bool> cancel_{false};                    // set by stop(): a running build gives up
  std::optional<std::string> last_error_;
  bool refresh_requested_ = false, stopping_ = false, building_ = false;
  std::mutex overlay_mutex_;  // one portal_users check at a time
  // A day of ordinary changes at 1M accounts is ~1 MB of deltas.
  SnapshotDeltas deltas_{64, 32 * 1024 * 1024};
  std::thread thread_;
};

}  // namespace invites::service
