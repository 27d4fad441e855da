#include "http/content_coding.hpp"

#include <array>
#include <cctype>

#include <invites/enum_names.hpp>

namespace invites::http {
namespace {

// Levels measured on the recipient CSV (bench/compression_bench.sh): each
// compresses at least as well as gzip -6 on the same bytes, zstd 3 and gzip 5
// for less CPU, brotli 4 (what a browser without zstd, such as Safari, gets)
// for about 1.6 times it; brotli 5 took 2.2 times.
constexpr Encoding zstd_dynamic{ContentCoding::zstd, 3};
// The offline copy, measured on the 2M-contact copies of bench/run-snapshot-bench.sh
// and of the seeded database: zstd 7 takes it 3-4 % under zstd 3, and
// matches of at least 6 bytes instead of 5 another 1-2 % (its short runs of
// small numbers are cheaper as literals), for 2.5-3 times zstd 3's CPU, a
// fifth of gzip -6's; levels 8 and 9 gain under 0.2 % more for up to twice that.
constexpr Encoding zstd_offline_copy{ContentCoding::zstd, 7, 6};
constexpr Encoding brotli_dynamic{ContentCoding::br, 4};
constexpr Encoding gzip_dynamic{ContentCoding::gzip, 5};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// "q=0", "q=0.0", "q=0.000" refuse a coding; anything else admits it.
bool q_is_zero(std::string_view parameters) {
  while (!parameters.empty()) {
    const auto semicolon = parameters.find(';');
    const auto parameter = trim(parameters.substr(0, semicolon));
    if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
      const auto value = parameter.substr(2);
      return !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
    }
    if (semicolon == std::string_view::npos) break;
    parameters.remove_prefix(semicolon + 1);
  }
  return false;
}

}  // namespace

std::string_view content_coding_name(ContentCoding coding) {
  static constexpr std::array<std::string_view, 4> names{"identity", "gzip", "br", "zstd"};  // by ContentCoding
  static_assert(detail::all_named(names));
  return detail::name_in(names, coding);
}

bool AcceptedCodings::admits(ContentCoding coding) const {
  // By ContentCoding; identity (no flag) is always acceptable.
  static constexpr std::array<bool AcceptedCodings::*, 4> flags{nullptr, &AcceptedCodings::gzip, &AcceptedCodings::br,
                                                                &AcceptedCodings::zstd};
  const auto flag = flags[static_cast<std::size_t>(coding)];
  return !flag || this->*flag;
}

AcceptedCodings parse_accept_encoding(std::string_view accept_encoding) {
  // Per coding: nullopt = not named, else whether its entry admits it.
  std::array<std::optional<bool>, 3> named;  // gzip, br, zstd
  std::optional<bool> star;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto item = accept_encoding.substr(0, comma);
    const auto semicolon = item.find(';');
    const auto coding = trim(item.substr(0, semicolon));
    const bool admitted =
        !q_is_zero(semicolon == std::string_view::npos ? std::string_view{} : item.substr(semicolon + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) named[0] = admitted;
    if (iequals(coding, "br")) named[1] = admitted;
    if (iequals(coding, "zstd")) named[2] = admitted;
    if (coding == "*") star = admitted;
    if (comma == std::string_view::npos) break;
    accept_encoding.remove_prefix(comma + 1);
  }
  const auto admitted = [&](const std::optional<bool>& entry) { return entry.value_or(star.value_or(false)); };
  return {.gzip = admitted(named[0]), .br = admitted(named[1]), .zstd = admitted(named[2])};
}

Encoding dynamic_encoding(const AcceptedCodings& accepted, std::optional<std::size_t> size, BodyUse use) {
  if (size && *size < min_compressed_size) return {};
  if (accepted.zstd) return use == BodyUse::offline_copy ? zstd_offline_copy : zstd_dynamic;
  if (accepted.br) return brotli_dynamic;
  if (accepted.gzip) return gzip_dynamic;
  return {};
}

bool is_compressible_type(std::string_view content_type) {
  const auto type = trim(content_type.substr(0, content_type.find(';')));
  if (starts_with_ignoring_case(type, "text/")) return true;
  for (const std::string_view compressible :
       {"application/json", "application/javascript", "application/wasm", "application/manifest+json",
        "application/xml", "image/svg+xml", "image/x-icon", "font/ttf", "font/otf"}) {
    if (iequals(type, compressible)) return true;
  }
  return false;
}

}  // namespace invites::http
