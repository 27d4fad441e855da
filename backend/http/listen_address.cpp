#include "http/listen_address.hpp"

#include <charconv>

namespace invites::http {
namespace {

[[noreturn]] void fail(const std::string& problem) {
  throw std::invalid_argument("listen address: " + problem + " (expected HOST:PORT, e.g. 127.0.0.1:8080)");
}

}  // namespace

ListenAddress parse_listen_address(std::string_view text) {
  ListenAddress address;
  std::string_view port_text;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) fail("an IPv6 host needs the form [ADDRESS]:PORT");
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) fail("missing ':PORT'");
    address.host = std::string(text.substr(0, colon));
    if (address.host.find(':') != std::string::npos) fail("an IPv6 host must be written in brackets");
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty()) fail("missing host");
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    fail("invalid port '" + std::string(port_text) + "'");
  }
  address.port = static_cast<std::uint16_t>(port);
  return address;
}

std::string http_url(const std::string& host, std::uint16_t port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace invites::http
