#pragma once
// The offline copy's outside world, owned by app/ (app/offline.hpp uses it):
// the snapshot download and the persistent store. The browser's is
// platform::WebSnapshotPlatform (IndexedDB); the native tests give a fake.
// Callbacks run later, from the main loop.

#include <invites/snapshot_codec.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace invites::app {

// Bytes kept outside the app's memory (a JavaScript ArrayBuffer in the browser).
using BlobPtr = std::shared_ptr<ByteSource>;

// The outcome of GET /api/snapshot.
struct SnapshotDownload {
  int status = 0;     // 200, 304, 401, …; 0 without an answer
  std::string error;  // readable reason when not 200/304
  std::string etag;
  BlobPtr bytes;  // 200 only
  // The body is deltas (Content-Type invites::snapshot_delta_content_type)
  // from the copy whose ETag was sent, not a whole copy.
  bool delta = false;
};

// What the browser's store holds besides the bytes (JSON text, see offline.cpp).
struct StoredCopy {
  std::string meta;  // JSON
  BlobPtr bytes;     // null when only the meta was read
};

class SnapshotPlatform {
 public:
  virtual ~SnapshotPlatform() = default;
  virtual void download(const std::string& etag,
                        std::function<void(std::uint64_t received, std::uint64_t total)> progress,
                        std::function<void(SnapshotDownload)> done) = 0;
  // The stored meta (and the bytes when `with_bytes`); nullopt when nothing is stored.
  virtual void load(bool with_bytes, std::function<void(std::optional<StoredCopy>, std::string error)> done) = 0;
  // Replaces the stored copy (bytes null: only the meta).
  virtual void save(const std::string& meta, BlobPtr bytes, std::function<void(std::string error)> done) = 0;
  virtual void clear() = 0;
  // Bytes the app makes (`produce` hands exactly `size` of them to `write`,
  // piece by piece) kept outside the app's memory, like a download's.
  using PieceWriter = std::function<void(std::string_view piece)>;
  virtual BlobPtr make_blob(std::size_t size, const std::function<void(const PieceWriter& write)>& produce) = 0;
  virtual std::int64_t now_ms() = 0;  // wall clock, unix ms
  // Hands a file made in the app to the user (the offline CSV export).
  virtual void save_file(const std::string& name, const std::string& text) = 0;
};

}  // namespace invites::app
