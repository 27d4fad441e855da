#include "http/client_address.hpp"

#include <algorithm>

#include "http/request_fields.hpp"

namespace invites::http {

std::string client_address(std::string_view remote_address, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  const auto trusted = [&](std::string_view address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
  };
  if (!trusted(remote_address)) return std::string(remote_address);
  // Each proxy appends the address it saw: read from the right, past our own proxies.
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto entry =
        trim_optional_whitespace(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    if (!entry.empty() && !trusted(entry)) return std::string(entry);
  }
  return std::string(remote_address);
}

}  // namespace invites::http
