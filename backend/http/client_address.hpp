#pragma once
// Who is asking: the address a login is throttled and audited under.
#include <string>
#include <string_view>
#include <vector>

namespace invites::http {

// The socket's address; or, when that is one of `trusted_proxies` (their
// addresses as the socket shows them), the nearest address in
// X-Forwarded-For that is not a trusted proxy. Nobody else's header is believed.
std::string client_address(std::string_view remote_address, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace invites::http
