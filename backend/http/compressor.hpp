#pragma once
// Streaming compression into a content coding: gzip (zlib), br (libbrotlienc),
// zstd (libzstd). A compressor takes the body in pieces, so a large response
// is compressed as it is produced instead of being built whole first.
#include <memory>
#include <string>
#include <string_view>

#include "http/content_coding.hpp"

namespace invites::http {

class Compressor {
 public:
  virtual ~Compressor() = default;
  // Appends to `out` what the compressed stream has ready after `input`;
  // `finish` ends the stream (no write after it).
  virtual void write(std::string_view input, bool finish, std::string& out) = 0;
};

// Throws std::runtime_error when the library refuses the level. Identity
// passes the bytes through.
std::unique_ptr<Compressor> make_compressor(Encoding encoding);

// `data` compressed in one piece.
std::string compress(Encoding encoding, std::string_view data);

}  // namespace invites::http
