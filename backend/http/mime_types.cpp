#include "http/mime_types.hpp"

#include <array>
#include <cctype>
#include <string>

namespace invites::http {
namespace {

struct Entry {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array entries{
    Entry{"html", "text/html; charset=utf-8"},
    Entry{"htm", "text/html; charset=utf-8"},
    Entry{"js", "text/javascript; charset=utf-8"},
    Entry{"mjs", "text/javascript; charset=utf-8"},
    Entry{"css", "text/css; charset=utf-8"},
    Entry{"txt", "text/plain; charset=utf-8"},
    Entry{"json", "application/json"},
    Entry{"map", "application/json"},
    Entry{"svg", "image/svg+xml"},
    Entry{"wasm", "application/wasm"},
    Entry{"webmanifest", "application/manifest+json"},
    Entry{"ttf", "font/ttf"},
    Entry{"otf", "font/otf"},
    Entry{"woff", "font/woff"},
    Entry{"woff2", "font/woff2"},
    Entry{"png", "image/png"},
    Entry{"jpg", "image/jpeg"},
    Entry{"jpeg", "image/jpeg"},
    Entry{"gif", "image/gif"},
    Entry{"webp", "image/webp"},
    Entry{"ico", "image/x-icon"},
};

constexpr std::string_view unknown = "application/octet-stream";

}  // namespace

std::string_view mime_type_for(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return unknown;
  std::string extension(file_name.substr(dot + 1));
  for (auto& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& entry : entries) {
    if (entry.extension == extension) return entry.type;
  }
  return unknown;
}

}  // namespace invites::http
