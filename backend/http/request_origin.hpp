#pragma once
// Cross-site request forgery, second line (the first is the session's CSRF
// token): a request that changes state (any method but GET, HEAD and
// OPTIONS) is refused with 403 when the browser says it comes from another
// site. Browsers send Sec-Fetch-Site ("same-origin" is the only value
// accepted besides "none", a user's own navigation) and Origin, which must
// name this server: the host of the request's Host header, or the public
// origin of --base-url when a reverse proxy rewrites Host. Clients that send
// neither header (curl, scripts) are not browsers and cannot be forged into
// sending a request; they pass.
#include <string>
#include <string_view>

#include <httplib.h>

namespace invites::http {

// "scheme://host[:port]" of a URL such as --base-url; "" when it has none.
std::string origin_of(std::string_view url);

// Handled (with a 403 JSON error) when the request is refused.
httplib::Server::HandlerResponse check_request_origin(const httplib::Request& request, httplib::Response& response,
                                                      const std::string& public_origin);

}  // namespace invites::http
