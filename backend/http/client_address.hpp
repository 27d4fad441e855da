#pragma once
// Who is asking: the address a login is throttled and audited under, and the
// warning when an X-Forwarded-For is not believed.
#include <atomic>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace invites::http {

// The socket's address; or, when that is one of `trusted_proxies` (their
// addresses as the socket shows them), the nearest address in
// X-Forwarded-For that is not a trusted proxy. Nobody else's header is believed.
std::string client_address(std::string_view remote_address, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

// Warns once in the log when X-Forwarded-For arrives from an address that is
// not a trusted proxy: behind a reverse proxy left out of --trusted-proxy,
// every client has the proxy's address, so five wrong passwords from anyone
// lock a username out for all, and the per-address ceiling locks out
// everyone. Once only, so clients sending the header cannot fill the log.
class UntrustedForwardingWarning {
 public:
  explicit UntrustedForwardingWarning(std::vector<std::string> trusted_proxies)
      : trusted_proxies_(std::move(trusted_proxies)) {}

  // For each request; true when this call logged the warning.
  bool check(std::string_view remote_address, bool has_forwarded_for);

 private:
  std::vector<std::string> trusted_proxies_;
  std::atomic<bool> warned_{false};
};

}  // namespace invites::http
