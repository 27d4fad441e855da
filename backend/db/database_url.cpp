#include "db/database_url.hpp"

#include <charconv>
#include <optional>

#include "invites/percent_encoding.hpp"

namespace invites::db {
namespace {

constexpr std::string_view scheme = "mysql://";
constexpr std::string_view expected_form = " (expected mysql://USER[:PASS]@HOST[:PORT]/DB)";

[[noreturn]] void fail(const std::string& problem) { throw DatabaseUrlError("database URL: " + problem); }

// For structural problems, where showing the expected shape helps most.
[[noreturn]] void fail_with_form(std::string_view problem) { fail(std::string(problem) + std::string(expected_form)); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `what` names the part in the error; the text itself is not echoed because
// it may be a password.
std::string percent_decode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const bool complete = i + 2 < text.size();
    const int high = complete ? hex_value(text[i + 1]) : -1;
    const int low = complete ? hex_value(text[i + 2]) : -1;
    if (high < 0 || low < 0)
      fail("bad percent-escape in the " + std::string(what) + " ('%' must be followed by two hex digits)");
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::uint16_t parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535) {
    fail("invalid port '" + std::string(text) + "' (expected a number from 1 to 65535)");
  }
  return static_cast<std::uint16_t>(value);
}

// HOST[:PORT] where HOST may be a bracketed IPv6 address.
void parse_host_and_port(std::string_view text, DatabaseUrl& url) {
  std::optional<std::string_view> port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) fail("unterminated '[' in the IPv6 host");
    url.host = std::string(text.substr(1, close - 1));
    const auto after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') fail("unexpected text after the IPv6 host");
      port = after.substr(1);
    }
  } else {
    const auto colon = text.find(':');
    url.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
  }
  if (url.host.empty()) fail_with_form("missing host");
  if (port) url.port = parse_port(*port);
}

std::string host_for_url(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string format(const DatabaseUrl& url, std::string_view password_text) {
  std::string out(scheme);
  out += percent_encode(url.user);
  if (!url.password.empty()) {
    out += ':';
    out += password_text;
  }
  out += '@' + host_for_url(url.host) + ':' + std::to_string(url.port) + '/' + url.database;
  return out;
}

}  // namespace

bool is_plain_database_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '-';
    if (!ok) return false;
  }
  return true;
}

DatabaseUrl parse_database_url(std::string_view text) {
  if (text.empty()) fail_with_form("empty");
  if (!text.starts_with(scheme)) {
    const auto colon = text.find("://");
    if (colon == std::string_view::npos) fail_with_form("missing mysql:// scheme");
    fail("unsupported scheme '" + std::string(text.substr(0, colon)) + "' (only mysql:// is supported)");
  }
  const auto rest = text.substr(scheme.size());

  // The last '@' ends the user part: neither host nor database name may hold
  // one, so a password with a raw '@' or '/' still parses.
  const auto at = rest.rfind('@');
  if (at == std::string_view::npos) fail_with_form("missing USER@ before the host");
  const auto userinfo = rest.substr(0, at);
  const auto after_user = rest.substr(at + 1);
  const auto slash = after_user.find('/');

  DatabaseUrl url;
  const auto colon = userinfo.find(':');
  url.user = percent_decode(userinfo.substr(0, colon), "user");
  if (colon != std::string_view::npos) url.password = percent_decode(userinfo.substr(colon + 1), "password");
  if (url.user.empty()) fail_with_form("missing user");

  parse_host_and_port(after_user.substr(0, slash), url);

  if (slash == std::string_view::npos) fail_with_form("missing /DB after the host");
  const auto path = after_user.substr(slash + 1);
  if (path.find_first_of("?#") != std::string_view::npos) fail("query parameters and fragments are not supported");
  url.database = percent_decode(path, "database name");
  if (url.database.empty()) fail_with_form("missing database name after '/'");
  if (!is_plain_database_name(url.database)) {
    fail("invalid database name '" + url.database + "' (use 1-64 letters, digits, '_', '$' or '-')");
  }
  return url;
}

std::string DatabaseUrl::to_string() const { return format(*this, percent_encode(password)); }

std::string DatabaseUrl::redacted() const { return format(*this, "***"); }

}  // namespace invites::db
