#include "http/request_origin.hpp"

#include <algorithm>
#include <cctype>

#include "http/api_error.hpp"

namespace invites::http {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool changes_state(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

// The Origin header names this server.
bool own_origin(const std::string& origin, const httplib::Request& request, const std::string& public_origin) {
  if (!public_origin.empty() && lower(origin) == lower(public_origin)) return true;
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string::npos) return false;  // "null" and the like
  const std::string host = request.get_header_value("Host");
  return !host.empty() && lower(origin.substr(scheme_end + 3)) == lower(host);
}

}  // namespace

std::string origin_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const auto path = url.find('/', scheme_end + 3);
  return lower(url.substr(0, path));
}

httplib::Server::HandlerResponse check_request_origin(const httplib::Request& request, httplib::Response& response,
                                                      const std::string& public_origin) {
  if (!changes_state(request.method)) return httplib::Server::HandlerResponse::Unhandled;
  const std::string site = lower(request.get_header_value("Sec-Fetch-Site"));
  const bool site_refused = !site.empty() && site != "same-origin" && site != "none";
  const bool origin_refused =
      request.has_header("Origin") && !own_origin(request.get_header_value("Origin"), request, public_origin);
  if (!site_refused && !origin_refused) return httplib::Server::HandlerResponse::Unhandled;
  send_error(response, 403, "cross_origin", "requests from other sites are not accepted");
  return httplib::Server::HandlerResponse::Handled;
}

}  // namespace invites::http
