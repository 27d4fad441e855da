#pragma once
// Serves the web bundle (index.html, the .js/.wasm pair, sw.js, fonts) from
// the --web-root directory: MIME types, ETag revalidation, no-cache for the
// files that name the others, the build's brotli and gzip forms of each file
// (FILE.br, FILE.gz) to clients that accept them, and no way out of the directory.
#include <filesystem>
#include <optional>
#include <string_view>

#include <httplib.h>

namespace invites::http {

class StaticFiles {
 public:
  // Throws std::invalid_argument when web_root is not a directory.
  explicit StaticFiles(const std::filesystem::path& web_root);

  // A GET/HEAD handler for any path; 404 for what resolve() refuses.
  void serve(const httplib::Request& request, httplib::Response& response);

  // The regular file a (percent-decoded) URL path names inside the web root,
  // "/" and directories meaning their index.html. nullopt for missing files
  // and for anything that could leave the root or expose hidden files:
  // "." or ".." segments, segments starting with '.', backslashes, NUL bytes,
  // symbolic links pointing outside.
  std::optional<std::filesystem::path> resolve(std::string_view url_path) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;  // canonical
};

}  // namespace invites::http
