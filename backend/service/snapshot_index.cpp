#include "service/snapshot_index.hpp"

#include <malloc.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <vector>

#include <spdlog/spdlog.h>

#include "db/connection.hpp"
#include "db/session.hpp"
#include "invites/snapshot_codec.hpp"
#include "repository/snapshot_loader.hpp"
#include "service/metrics.hpp"

namespace invites::service {
namespace {

// "VmRSS 123 MB, VmHWM 456 MB" of this process, for the build log (docs/design.md §8).
std::string memory_usage() {
  std::FILE* file = std::fopen("/proc/self/status", "r");
  if (!file) return "memory unknown";
  std::string result;
  char line[256];
  while (std::fgets(line, sizeof line, file)) {
    unsigned long kb = 0;
    char key[32];
    if (std::sscanf(line, "%31[^:]: %lu kB", key, &kb) == 2 &&
        (std::strcmp(key, "VmRSS") == 0 || std::strcmp(key, "VmHWM") == 0)) {
      if (!result.empty()) result += ", ";
      result += std::string(key) + " " + std::to_string(kb / 1024) + " MB";
    }
  }
  std::fclose(file);
  return result;
}

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

double SnapshotState::age_seconds() const {
  const auto age = unix_now() - generated_at();
  return age > 0 ? static_cast<double>(age) : 0.0;
}

const SnapshotLayoutBase& BuildLayout::base_of(const Snapshot& snapshot) {
  std::call_once(once_, [&] { base_.emplace(SnapshotCodec::layout_base(snapshot)); });
  return *base_;
}

const SnapshotDownload& SnapshotState::download() const {
  std::call_once(download_once_, [this] {
    auto download = std::make_unique<SnapshotDownload>();
    download->layout = SnapshotCodec::layout(*snapshot, portal_columns(), build_layout_->base_of(*snapshot));
    char etag[40];
    std::snprintf(etag, sizeof etag, "\"%016llx\"", static_cast<unsigned long long>(download->layout.digest));
    download->etag = etag;
    download_ = std::move(download);
    download_made_.store(true, std::memory_order_release);
    spdlog::info("snapshot layout: {} bytes encoded; {}", download_->layout.size, memory_usage());
  });
  return *download_;
}

std::optional<std::uint64_t> SnapshotState::known_digest() const {
  if (!download_made_.load(std::memory_order_acquire)) return std::nullopt;
  return download_->layout.digest;
}

void SnapshotState::encode(const std::function<void(std::string_view)>& sink) const {
  SnapshotCodec::encode(*snapshot, portal_columns(), download().layout, sink);
}

SnapshotIndex::SnapshotIndex(ConnectionFactory connect, std::chrono::seconds refresh_interval)
    : connect_(std::move(connect)), interval_(refresh_interval) {}

SnapshotIndex::~SnapshotIndex() { stop(); }

void SnapshotIndex::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  cancel_ = false;
  refresh_requested_ = true;
  thread_ = std::thread([this] { run(); });
}

void SnapshotIndex::stop() {
  bool building = false;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    building = building_;
  }
  cancel_ = true;  // the loader checks it every few thousand rows
  wake_.notify_all();
  // A build takes half a minute at 1M accounts: besides the flag, end its
  // query, which may be still running on the server before its first row
  // (the build then fails, which is fine when stopping).
  if (const auto id = build_connection_id_.load(); building && id != 0 && thread_.joinable()) {
    try {
      auto killer = connect_();
      db::kill_query(*killer, id);
    } catch (const std::exception& e) {
      spdlog::warn("could not interrupt the snapshot build: {}", e.what());
    }
  }
  if (thread_.joinable()) thread_.join();
}

void SnapshotIndex::request_refresh() {
  {
    std::lock_guard lock(mutex_);
    refresh_requested_ = true;
  }
  wake_.notify_all();
}

std::shared_ptr<const SnapshotState> SnapshotIndex::current() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::uint64_t SnapshotIndex::build_count() const {
  std::lock_guard lock(mutex_);
  return builds_;
}

std::optional<std::string> SnapshotIndex::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

bool SnapshotIndex::building() const {
  std::lock_guard lock(mutex_);
  return building_;
}

void SnapshotIndex::run() {
  std::unique_ptr<sql::Connection> connection;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      auto due = [&] { return stopping_ || refresh_requested_; };
      if (interval_.count() > 0 && state_) {
        wake_.wait_for(lock, interval_, due);
      } else if (state_) {
        wake_.wait(lock, due);
      } else if (!refresh_requested_ && !stopping_) {
        // The first build failed: retry soon.
        wake_.wait_for(lock, std::chrono::seconds(5), due);
      }
      if (stopping_) return;
      refresh_requested_ = false;
      building_ = true;
    }
    const auto started = std::chrono::steady_clock::now();
    bool ok = false;
    try {
      if (!connection || !connection->isValid()) {
        connection = connect_();
        build_connection_id_ = db::connection_id(*connection);
      }
      build(*connection, cancel_);
      ok = true;
    } catch (const std::exception& e) {
      // After a cancel the connection may hold an unread result: drop it.
      connection.reset();
      build_connection_id_ = 0;
      {
        std::lock_guard lock(mutex_);
        if (stopping_) {
          building_ = false;
          return;
        }
      }
      spdlog::error("snapshot build failed: {}", e.what());
      std::lock_guard lock(mutex_);
      last_error_ = e.what();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    Metrics::instance().count_refresh(ok, seconds);
    std::lock_guard lock(mutex_);
    building_ = false;
  }
}

void SnapshotIndex::build_now() {
  static const std::atomic<bool> never{false};
  auto connection = connect_();
  build(*connection, never);
}

void SnapshotIndex::build(sql::Connection& connection, const std::atomic<bool>& cancel) {
  const auto started = std::chrono::steady_clock::now();
  if (release_before_) {
    if (const auto now_current = current()) release_before_(now_current->generation);
  }
  // Pages freed since the last build (Load results, portal_users overlays
  // that replaced a state) go back first, so this build's peak starts low.
  malloc_trim(0);
  auto snapshot = std::make_shared<const Snapshot>(repository::load_snapshot(connection, cancel));
  auto lookups = std::make_shared<const repository::Lookups>(repository::load_lookups(connection));
  auto known = std::make_shared<const KnownIds>(lookups->known_ids());
  const auto generated_at = snapshot->generated_at;
  spdlog::info("snapshot built: {} accounts, {} contacts, {} addresses in {:.2f} s; {}", snapshot->account_count(),
               snapshot->contact_count(), snapshot->email_count(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), memory_usage());
  // Changes committed while the consistent read ran may carry a timestamp
  // just before generated_at: re-apply those seconds too (it is idempotent).
  // The previous state is released here unless a reader still holds it.
  auto state = std::make_shared<const SnapshotState>(next_generation_++, std::move(snapshot), std::move(lookups),
                                                     std::move(known));
  // The delta from the current copy, while both snapshots are in memory;
  // sealed with the new copy's digest once the old snapshot went.
  std::optional<SnapshotDeltas::PendingRebuild> pending;
  if (const auto previous = current()) {
    try {
      pending = deltas_.prepare_rebuild(*previous, *state);
    } catch (const std::exception& e) {
      spdlog::warn("no snapshot delta to the new build: {}", e.what());
    }
  }
  publish(state, generated_at - 2);
  if (pending && release_before_) {
    try {
      release_before_(state->generation);
    } catch (const std::exception& e) {
      spdlog::warn("states of older builds kept for now: {}", e.what());
    }
  }
  // The build's temporary columns and the previous snapshot are gone: give
  // their pages back to the system, or the process keeps its peak size.
  malloc_trim(0);
  if (pending) {
    try {
      deltas_.rebuilt(std::move(*pending), *state);
    } catch (const std::exception& e) {
      spdlog::warn("no snapshot delta to the new build: {}", e.what());
    }
  }
}

void SnapshotIndex::publish(std::shared_ptr<const SnapshotState> state, std::int64_t watermark) {
  std::lock_guard lock(mutex_);
  state_ = std::move(state);
  watermark_ = watermark;
  ++builds_;
  last_error_.reset();
}

std::shared_ptr<const SnapshotState> SnapshotIndex::current_for_load(sql::Connection& connection) {
  std::lock_guard check(overlay_mutex_);
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::shared_ptr<const SnapshotState> base;
    std::int64_t since = 0;
    {
      std::lock_guard lock(mutex_);
      base = state_;
      since = watermark_;
    }
    if (!base) throw SnapshotLoading("the recipient index is still being built; try Load again in a moment");

    struct Change {
      std::uint32_t email;
      PortalStatus status;
      std::int64_t last_invited_at;
    };
    std::vector<Change> changes;
    struct SuppressionChange {
      std::uint32_t email;
      std::uint8_t suppressed;
    };
    std::vector<SuppressionChange> suppression_changes;
    const std::int64_t now = db::server_unix_time(connection);
    const Snapshot& snapshot = *base->snapshot;
    const PortalColumns current = base->portal_columns();
    repository::read_portal_users_changed_since(connection, since, [&](const repository::PortalUserState& user) {
      const auto index = snapshot.find_email(user.email);
      if (!index) return;  // an address no contact has
      if (current.status[*index] != user.status || current.last_invited_at[*index] != user.last_invited_at)
        changes.push_back({*index, user.status, user.last_invited_at});
    });
    // Suppressions made or lifted since (docs/design.md §11): the next Load shows them.
    repository::read_suppressions_changed_since(connection, since, [&](const repository::SuppressionState& change) {
      const auto index = snapshot.find_email(change.email);
      if (!index) return;
      const std::uint8_t suppressed = change.suppressed ? 1 : 0;
      if (current.suppressed[*index] != suppressed) suppression_changes.push_back({*index, suppressed});
    });
    // Re-check the last second again next time: rows written later in the
    // same second carry the same updated_at.
    const std::int64_t next_watermark = now > 0 ? now : since;
    if (changes.empty() && suppression_changes.empty()) {
      std::lock_guard lock(mutex_);
      if (state_ != base) continue;  // a rebuild was published meanwhile: check against it
      watermark_ = std::max(watermark_, next_watermark);
      return base;
    }
    // A new copy of the statuses only (~10 bytes per address); the snapshot is shared.
    auto updated = std::make_shared<PortalState>();
    updated->status.assign(current.status.begin(), current.status.end());
    updated->last_invited_at.assign(current.last_invited_at.begin(), current.last_invited_at.end());
    updated->suppressed.assign(current.suppressed.begin(), current.suppressed.end());
    for (const auto& change : changes) {
      updated->status[change.email] = change.status;
      updated->last_invited_at[change.email] = change.last_invited_at;
    }
    for (const auto& change : suppression_changes) updated->suppressed[change.email] = change.suppressed;
    auto state = std::make_shared<const SnapshotState>(*base, std::shared_ptr<const PortalState>(std::move(updated)));
    {
      std::lock_guard lock(mutex_);
      if (state_ != base) continue;
      state_ = state;
      watermark_ = std::max(watermark_, next_watermark);
    }
    std::vector<std::uint32_t> changed;
    changed.reserve(changes.size() + suppression_changes.size());
    for (const auto& change : changes) changed.push_back(change.email);
    for (const auto& change : suppression_changes) changed.push_back(change.email);
    deltas_.overlaid(*base, std::move(changed));
    spdlog::info("snapshot updated with {} portal user and {} suppression change(s)", changes.size(),
                 suppression_changes.size());
    return state;
  }
  return current();
}

}  // namespace invites::service
