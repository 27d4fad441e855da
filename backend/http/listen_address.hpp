#pragma once
// The --listen value: HOST:PORT, with an IPv6 host in brackets ([::1]:8080).
// Port 0 asks the system for any free port (used by tests).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace invites::http {

struct ListenAddress {
  std::string host;  // without brackets
  std::uint16_t port = 8080;

  bool operator==(const ListenAddress&) const = default;
};

// Throws std::invalid_argument naming the problem.
ListenAddress parse_listen_address(std::string_view text);

// "http://HOST:PORT" with brackets around an IPv6 host.
std::string http_url(const std::string& host, std::uint16_t port);

}  // namespace invites::http
