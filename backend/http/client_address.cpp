#include "http/client_address.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "http/request_fields.hpp"

namespace invites::http {
namespace {

bool trusted(std::string_view address, const std::vector<std::string>& trusted_proxies) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
}

}  // namespace

std::string client_address(std::string_view remote_address, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  if (!trusted(remote_address, trusted_proxies)) return std::string(remote_address);
  // Each proxy appends the address it saw: read from the right, past our own proxies.
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto entry =
        trim_optional_whitespace(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    if (!entry.empty() && !trusted(entry, trusted_proxies)) return std::string(entry);
  }
  return std::string(remote_address);
}

bool UntrustedForwardingWarning::check(std::string_view remote_address, bool has_forwarded_for) {
  if (!has_forwarded_for || warned_.load(std::memory_order_relaxed) || trusted(remote_address, trusted_proxies_)) {
    return false;
  }
  if (warned_.exchange(true)) return false;
  spdlog::warn(
      "X-Forwarded-For from {0} is ignored: {0} is not a --trusted-proxy (INVITES_TRUSTED_PROXY). If a reverse "
      "proxy connects from {0}, name it there: until then every client behind it counts as {0} for the login "
      "throttle, so a few wrong passwords lock a username out for all of them. (Logged once.)",
      remote_address);
  return true;
}

}  // namespace invites::http
