#pragma once
// Content codings (RFC 9110 §8.4): what a client's Accept-Encoding admits,
// and which coding and level a response gets (issue 15: the CPU spent on a
// response grows with its size, at most twice what gzip -6 would take).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace invites::http {

enum class ContentCoding : std::uint8_t { identity, gzip, br, zstd };

// The Content-Encoding token ("gzip", "br", "zstd"; "identity").
std::string_view content_coding_name(ContentCoding coding);

// The codings an Accept-Encoding value admits: named with a q-value above 0,
// or covered by "*" with one (an explicit entry beats "*"). Identity is
// always acceptable to us: a client that refuses it gets it anyway.
struct AcceptedCodings {
  bool gzip = false, br = false, zstd = false;
  bool admits(ContentCoding coding) const;
};
AcceptedCodings parse_accept_encoding(std::string_view accept_encoding);

// A coding with its compression level (zlib 1-9, brotli quality 0-11, zstd 1-19).
struct Encoding {
  ContentCoding coding = ContentCoding::identity;
  int level = 0;
  int min_match = 0;  // zstd only: the shortest match it looks for (0: the level's own)
  bool operator==(const Encoding&) const = default;
};

// Bodies below this size go out as they are: the coding's own framing and the
// header would eat most of the gain.
inline constexpr std::size_t min_compressed_size = 1024;

// What a body made for a request is used for: the level it is worth.
enum class BodyUse : std::uint8_t {
  per_request,   // read once (JSON, CSV): fast levels
  offline_copy,  // the snapshot, kept by the browser: zstd at a higher level, still far below gzip -6's CPU
};

// For a body made for this request: zstd first, then brotli, then gzip, at
// the levels of its use. `size` is nullopt for a streamed body of unknown
// length (always compressed).
Encoding dynamic_encoding(const AcceptedCodings& accepted, std::optional<std::size_t> size,
                          BodyUse use = BodyUse::per_request);

// Media types worth compressing: text, JSON, JavaScript, SVG, WebAssembly, fonts other than WOFF.
bool is_compressible_type(std::string_view content_type);

}  // namespace invites::http
