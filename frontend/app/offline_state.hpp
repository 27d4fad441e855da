#pragma once
// What the UI shows of the offline preview (app/offline.hpp): part of State.
#include <invites/filter.hpp>
#include <invites/recipients.hpp>

#include <cstdint>
#include <string>

namespace invites::app {

enum class SyncStatus { none, opening, downloading, decoding, ready, failed };
const char* to_string(SyncStatus status);  // "none", "opening", "downloading", "decoding", "ready", "failed"

struct OfflineState {
  SyncStatus sync = SyncStatus::none;
  std::uint64_t received = 0, total = 0;  // download progress (total 0 = unknown)
  bool have_snapshot = false;             // a decoded snapshot is in memory
  std::int64_t data_as_of = 0;            // the snapshot's generated_at (unix s)
  std::int64_t synced_at_ms = 0;          // last successful download or 304
  std::uint64_t contacts = 0;
  std::uint64_t snapshot_bytes = 0;
  double decode_ms = 0;
  std::string sync_error;  // the last sync's problem
  std::string notice;      // discarded copy, server back, …

  bool offline = false;             // Load is answered from the cached snapshot
  bool chosen = false;              // … because the user chose "Preview offline"
  std::string reason;               // why offline (shown)
  bool session_from_cache = false;  // signed in from the stored session (server unreachable at start)

  // Live estimate for the filters on screen (valid while has_estimate).
  bool has_estimate = false;
  Filter estimate_filter;
  Counts estimate;
  double estimate_ms = 0;
};

}  // namespace invites::app
