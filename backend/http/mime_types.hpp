#pragma once
// Content types of the web bundle's files, and who compresses each.
#include <string_view>

namespace invites::http {

enum class Compression {
  none,        // already compressed (images, woff2) or not worth it
  by_httplib,  // cpp-httplib 0.11 gzips/brotlis text/*, image/svg+xml and application/json itself
  by_us,       // compressible, but cpp-httplib leaves it alone (application/wasm, fonts): gzip it ourselves
};

struct MimeType {
  std::string_view type;  // the Content-Type value
  Compression compression;
};

// By the file name's extension (case-insensitive); unknown ones are
// application/octet-stream, uncompressed.
MimeType mime_type_for(std::string_view file_name);

}  // namespace invites::http
