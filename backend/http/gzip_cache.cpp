#include "http/gzip_cache.hpp"

#include "http/gzip.hpp"

namespace invites::http {

std::shared_ptr<const std::string> GzipCache::get(const std::filesystem::path& file, const std::string& etag,
                                                  const std::string& content) {
  {
    const std::lock_guard lock(mutex_);
    const auto found = entries_.find(file);
    if (found != entries_.end() && found->second.etag == etag) return found->second.gzipped;
  }
  // Compressed outside the lock: other files stay servable meanwhile; two
  // simultaneous first requests for one file merely compress it twice.
  auto gzipped = std::make_shared<const std::string>(gzip_compress(content));
  const std::lock_guard lock(mutex_);
  entries_[file] = Entry{etag, gzipped};
  return gzipped;
}

}  // namespace invites::http
