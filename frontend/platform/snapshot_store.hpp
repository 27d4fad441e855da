#pragma once
// The browser side of the offline copy (app/snapshot_platform.hpp): GET /api/snapshot
// read as a stream (progress), and IndexedDB database "invites-offline",
// object store "snapshot", keys "meta" (JSON text) and "bytes" (ArrayBuffer).
// The bytes stay in JavaScript memory; the decoder copies them into the
// WebAssembly heap one section at a time (ByteSource). Callbacks run from
// dispatch(), once per main-loop tick, like platform/fetch.
#include "app/snapshot_platform.hpp"

namespace invites::platform {

class WebSnapshotPlatform final : public app::SnapshotPlatform {
 public:
  WebSnapshotPlatform();
  void download(const std::string& etag, std::function<void(std::uint64_t, std::uint64_t)> progress,
                std::function<void(app::SnapshotDownload)> done) override;
  void load(bool with_bytes, std::function<void(std::optional<app::StoredCopy>, std::string)> done) override;
  void save(const std::string& meta, app::BlobPtr bytes, std::function<void(std::string)> done) override;
  void clear() override;
  app::BlobPtr make_blob(std::size_t size, const std::function<void(const PieceWriter& write)>& produce) override;
  std::int64_t now_ms() override;
  void save_file(const std::string& name, const std::string& text) override;

  // Runs the callbacks of finished operations.
  static void dispatch();
};

}  // namespace invites::platform
