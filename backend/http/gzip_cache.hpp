#pragma once
// Gzipped bodies of static files, kept per file version so that a large
// .wasm is compressed once, not on every request.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace invites::http {

class GzipCache {
 public:
  // The gzip of `content`, the body of `file` in the version `etag`. A new
  // etag replaces the entry, so the cache holds one version per file.
  std::shared_ptr<const std::string> get(const std::filesystem::path& file, const std::string& etag,
                                         const std::string& content);

 private:
  struct Entry {
    std::string etag;
    std::shared_ptr<const std::string> gzipped;
  };
  std::mutex mutex_;
  std::map<std::filesystem::path, Entry> entries_;
};

}  // namespace invites::http
