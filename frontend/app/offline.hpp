#pragma once
// Offline preview (docs/design.md §7, issue 6): the cached snapshot and what is built on it.
//
// - Sync: after sign-in with permission 390, GET /api/snapshot (If-None-Match)
//   is downloaded with progress, decoded with the common/ codec (a check that
//   it is usable) and kept, with the session, the lookups (incl. templates)
//   and the time, in the browser's store (IndexedDB: platform/snapshot_store).
//   Refreshed on demand and when older than snapshot_refresh_ms; a server that
//   kept the changes since the copy held answers with deltas, applied with
//   common/'s SnapshotDelta and stored as the new copy (any failure: a full
//   download). Sign-out and a
//   change of user delete it; a damaged or foreign-version copy is discarded
//   with a message.
// - Offline Load: Offline wraps the app's Fetcher. When the server cannot be
//   reached (or the user chose "Preview offline"), POST /api/previews and the
//   recipient pages of its result are answered here, from the cached snapshot,
//   with the same common/ evaluate() and page_recipients() the server runs, in
//   the server's JSON shape; preview ids start with "offline-". GET /api/me and
//   /api/lookups fall back to the cached copies so that a reload without the
//   server reaches the screen. Send stays disabled for such results.
// - Live estimate: while the filters on screen differ from the loaded ones,
//   the counts of the cached snapshot for them (OfflineState::estimate).
//
// Plain C++ like the rest of app/: the store is an interface
// (app/snapshot_platform.hpp), faked in tests.

#include "app/fetcher.hpp"
#include "app/offline_state.hpp"
#include "app/snapshot_platform.hpp"
#include "app/state.hpp"

#include <invites/evaluator.hpp>
#include <invites/snapshot.hpp>
#include <invites/snapshot_codec.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace invites::app {

class Actions;

// Messages the UI shows (tests compare them).
inline constexpr const char* offline_send_reason = "Offline preview: Send, test send and setup need the server.";
inline constexpr const char* server_back_notice = "The server is reachable again: the next Load is online.";
inline constexpr const char* discarded_prefix = "The offline copy stored in this browser was discarded: ";

// How old a synced snapshot may get before the app downloads it again (a
// cheap 304 when unchanged), and how often the server is probed while offline.
inline constexpr std::int64_t snapshot_refresh_ms = 5 * 60 * 1000;
inline constexpr std::int64_t server_probe_ms = 5 * 1000;
// The stored copy is not used (and is deleted) when older than this.
inline constexpr std::int64_t snapshot_max_age_ms = 7LL * 24 * 3600 * 1000;

// The loaded preview was computed from the cached snapshot.
bool preview_is_offline(const State& state);
// Why Send / test send / setup cannot be used now ("" when they may).
std::string offline_block_reason(const State& state);

class Offline {
 public:
  // `network` is the real Fetcher; `snapshots` may be null (no offline support).
  Offline(State& state, Fetcher network, SnapshotPlatform* snapshots);
  Offline(const Offline&) = delete;
  Offline& operator=(const Offline&) = delete;

  // The Fetcher to give Actions: answers locally when offline.
  Fetcher fetcher();
  // The URL opener to give Actions: the CSV of an offline preview's list is
  // made here (same columns as the server's); other URLs go to `next`.
  std::function<void(const std::string&)> url_opener(std::function<void(const std::string&)> next);
  void attach(Actions& actions) { actions_ = &actions; }
  // Called when a locally answered request is ready (wakes the main loop).
  void set_wake(std::function<void()> wake) { wake_ = std::move(wake); }

  // Once per main-loop tick: follows the session, delivers local answers,
  // refreshes when stale, probes the server while offline, updates the estimate.
  // True when the state shown may have changed (the caller redraws).
  bool tick();

  // User actions.
  void refresh();                 // download now (If-None-Match)
  void preview_offline(bool on);  // "Preview offline" / "Back online"

  const Snapshot* snapshot() const { return snapshot_.get(); }

 private:
  struct Meta {
    std::int64_t user_id = 0;
    std::string username;
    std::vector<int> permissions;
    std::string etag;
    std::int64_t generated_at = 0;
    std::int64_t synced_at_ms = 0;
    std::string lookups;  // the /api/lookups answer (lists and templates)
  };
  static std::optional<Meta> parse_meta(const std::string& text);
  static std::string meta_text(const Meta& meta);

  void tick_once();
  void route(FetchRequest request, FetchCallback done);
  bool answerable_locally(const FetchRequest& request) const;
  void answer_locally(const FetchRequest& request, FetchCallback done);
  FetchResult local_result(const FetchRequest& request);
  FetchResult local_preview(const FetchRequest& request);
  FetchResult local_recipients(const FetchRequest& request);
  bool local_csv(const std::string& url);
  void deliver(FetchCallback done, FetchResult result);
  void go_offline(std::string reason, bool chosen);
  void go_online(std::string notice);

  void on_session(const Session* session);
  void open_cache();
  void on_cache_loaded(std::optional<StoredCopy> copy, std::string error, std::uint64_t epoch);
  void decode(BlobPtr bytes, Meta meta, bool save_after);
  void apply_delta(BlobPtr delta, Meta meta);
  // Makes `snapshot` (encoded as `bytes`) the copy in use, stored when `save_after`.
  void keep(std::shared_ptr<Snapshot> snapshot, Meta meta, BlobPtr bytes, bool save_after, double ms);
  void discard(const std::string& why);
  void drop_memory();
  void on_download(SnapshotDownload download, std::uint64_t epoch);
  void update_estimate();
  void recheck_session();

  State& state_;
  Fetcher network_;
  SnapshotPlatform* snapshots_;
  Actions* actions_ = nullptr;
  std::function<void()> wake_;

  std::deque<std::pair<FetchCallback, FetchResult>> ready_;  // local answers to deliver
  std::vector<std::function<void()>> after_meta_;            // /api/me fallbacks waiting for the stored meta
  bool meta_read_ = false;                                   // the stored meta has been read once
  std::optional<Meta> meta_;                                 // of the stored copy (or of the one in memory)

  std::shared_ptr<const Snapshot> snapshot_;
  std::uint64_t epoch_ = 0;  // bumps when the session changes: late store/download answers are dropped
  std::string session_key_;  // "id:username" of the session followed
  bool downloading_ = false;
  bool pending_decode_ = false;  // decode on the next tick (a frame shows "Opening…" first)
  BlobPtr decode_bytes_;
  Meta decode_meta_;
  bool decode_save_ = false;
  bool decode_delta_ = false;   // decode_bytes_ are deltas to the copy in use
  bool full_download_ = false;  // the next download asks for the whole copy (a delta failed)
  std::int64_t last_probe_ms_ = 0;
  bool last_probe_started_ = false;  // a health check of ours is running or has answered
  std::int64_t next_refresh_ms_ = 0;
  bool decode_frame_shown_ = false;
  std::string lookups_body_;  // the last /api/lookups answer of the server
  bool rechecking_ = false;

  std::uint64_t next_preview_ = 0;
  std::map<std::string, std::shared_ptr<const Evaluation>> evaluations_;  // offline previews (last few)
};

}  // namespace invites::app
