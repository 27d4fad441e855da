#pragma once
// gzip for responses that cpp-httplib does not compress by itself.
#include <string>
#include <string_view>

namespace invites::http {

// The whole input as one gzip member (RFC 1952), at the best compression:
// results are cached, so the extra CPU is spent once per file version.
std::string gzip_compress(std::string_view data);

// Whether an Accept-Encoding header value admits gzip ("gzip" or "*" with a
// q-value above 0).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace invites::http
