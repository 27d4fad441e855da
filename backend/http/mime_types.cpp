#include "http/mime_types.hpp"

#include <array>
#include <cctype>
#include <string>

namespace invites::http {
namespace {

struct Entry {
  std::string_view extension;
  MimeType mime;
};

constexpr std::array entries{
    Entry{"html", {"text/html; charset=utf-8", Compression::by_httplib}},
    Entry{"htm", {"text/html; charset=utf-8", Compression::by_httplib}},
    Entry{"js", {"text/javascript; charset=utf-8", Compression::by_httplib}},
    Entry{"mjs", {"text/javascript; charset=utf-8", Compression::by_httplib}},
    Entry{"css", {"text/css; charset=utf-8", Compression::by_httplib}},
    Entry{"txt", {"text/plain; charset=utf-8", Compression::by_httplib}},
    // Exactly "application/json": cpp-httplib only compresses that spelling.
    Entry{"json", {"application/json", Compression::by_httplib}},
    Entry{"map", {"application/json", Compression::by_httplib}},
    Entry{"svg", {"image/svg+xml", Compression::by_httplib}},
    Entry{"wasm", {"application/wasm", Compression::by_us}},
    Entry{"webmanifest", {"application/manifest+json", Compression::by_us}},
    Entry{"ttf", {"font/ttf", Compression::by_us}},
    Entry{"otf", {"font/otf", Compression::by_us}},
    Entry{"woff", {"font/woff", Compression::none}},
    Entry{"woff2", {"font/woff2", Compression::none}},
    Entry{"png", {"image/png", Compression::none}},
    Entry{"jpg", {"image/jpeg", Compression::none}},
    Entry{"jpeg", {"image/jpeg", Compression::none}},
    Entry{"gif", {"image/gif", Compression::none}},
    Entry{"webp", {"image/webp", Compression::none}},
    Entry{"ico", {"image/x-icon", Compression::by_us}},
};

constexpr MimeType unknown{"application/octet-stream", Compression::none};

}  // namespace

MimeType mime_type_for(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return unknown;
  std::string extension(file_name.substr(dot + 1));
  for (auto& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& entry : entries) {
    if (entry.extension == extension) return entry.mime;
  }
  return unknown;
}

}  // namespace invites::http
