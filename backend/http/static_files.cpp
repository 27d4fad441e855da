#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "http/mime_types.hpp"
#include "http/response_encoding.hpp"

namespace invites::http {
namespace {

namespace fs = std::filesystem;

bool is_safe_segment(std::string_view segment) {
  return !segment.starts_with('.') && segment.find('\\') == std::string_view::npos &&
         segment.find('\0') == std::string_view::npos;
}

bool is_inside(const fs::path& root, const fs::path& candidate) {
  const auto [root_end, candidate_it] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end();
}

// Files that name the others (and the service worker, which browsers must
// re-check) are revalidated on every load, so a new deployment is picked up.
bool must_revalidate(const fs::path& file) {
  const auto name = file.filename();
  return name == "index.html" || name == "sw.js";
}

// Changes whenever the file is replaced or rewritten.
std::string etag_of(const fs::path& file) {
  std::ostringstream out;
  out << '"' << std::hex << fs::file_size(file) << '-'
      << static_cast<std::uint64_t>(fs::last_write_time(file).time_since_epoch().count()) << '"';
  return out.str();
}

bool etag_matches(std::string_view if_none_match, const std::string& etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    auto candidate = if_none_match.substr(0, comma);
    while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
    while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);  // weak comparison, as for GET
    if (candidate == "*" || candidate == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  std::ostringstream content;
  content << in.rdbuf();
  return std::move(content).str();
}

// The build compresses the bundle's files beside them (FILE.br, FILE.gz, see
// frontend/cmake/assemble_web.cmake); a sibling older than its file is stale.
struct Precompressed {
  fs::path file;
  ContentCoding coding;
};
constexpr std::array<std::pair<ContentCoding, std::string_view>, 2> sibling_suffixes{
    std::pair{ContentCoding::br, ".br"}, std::pair{ContentCoding::gzip, ".gz"}};  // preferred first

std::vector<Precompressed> precompressed_siblings(const fs::path& file) {
  std::vector<Precompressed> found;
  std::error_code error;
  const auto written = fs::last_write_time(file, error);
  if (error) return found;
  for (const auto& [coding, suffix] : sibling_suffixes) {
    fs::path sibling = file;
    sibling += suffix;
    const auto sibling_written = fs::last_write_time(sibling, error);
    if (!error && sibling_written >= written && fs::is_regular_file(sibling, error)) found.push_back({sibling, coding});
  }
  return found;
}

void not_found(httplib::Response& response) {
  response.status = 404;
  response.set_content("not found\n", "text/plain; charset=utf-8");
}

}  // namespace

StaticFiles::StaticFiles(const fs::path& web_root) {
  std::error_code error;
  root_ = fs::canonical(web_root, error);
  if (error || !fs::is_directory(root_)) {
    throw std::invalid_argument("web root " + web_root.string() + " is not a directory");
  }
}

std::optional<fs::path> StaticFiles::resolve(std::string_view url_path) const {
  if (!url_path.starts_with('/')) return std::nullopt;
  fs::path candidate = root_;
  std::string_view rest = url_path.substr(1);
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const auto segment = rest.substr(0, slash);
    if (!segment.empty()) {  // "//" collapses
      if (!is_safe_segment(segment)) return std::nullopt;
      candidate /= segment;
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::error_code error;
  if (fs::is_directory(candidate, error)) candidate /= "index.html";
  const auto real = fs::canonical(candidate, error);
  if (error || !is_inside(root_, real) || !fs::is_regular_file(real, error)) return std::nullopt;
  return real;
}

void StaticFiles::serve(const httplib::Request& request, httplib::Response& response) {
  const auto file = resolve(request.path);
  if (!file) return not_found(response);

  // Byte ranges refer to the file as it is, so a range request gets it uncompressed.
  const auto siblings = precompressed_siblings(*file);
  const auto accepted = accepted_codings(request);
  std::optional<Precompressed> chosen;
  for (const auto& sibling : siblings) {
    if (!chosen && accepted.admits(sibling.coding) && !request.has_header("Range")) chosen = sibling;
  }

  std::string etag;
  std::string content;
  try {
    etag = etag_of(*file);
    content = read_file(chosen ? chosen->file : *file);
  } catch (const std::exception&) {
    return not_found(response);  // removed or unreadable since resolve()
  }
  // Each coding is its own representation, with its own validator.
  if (chosen) etag.insert(etag.size() - 1, "-" + std::string(content_coding_name(chosen->coding)));

  response.set_header("ETag", etag);
  if (must_revalidate(*file)) response.set_header("Cache-Control", "no-cache");
  if (!siblings.empty()) vary_on_accept_encoding(response);

  if (etag_matches(request.get_header_value("If-None-Match"), etag)) {
    response.status = 304;
    return;
  }
  if (chosen) response.set_header("Content-Encoding", std::string(content_coding_name(chosen->coding)));
  response.body = std::move(content);  // set_content() would copy it
  response.set_header("Content-Type", std::string(mime_type_for(file->filename().string())));
}

}  // namespace invites::http
