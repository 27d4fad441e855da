#include "http/security_headers.hpp"

namespace invites::http {
namespace {

void set_unless_present(httplib::Response& response, const char* name, const char* value) {
  if (!response.has_header(name)) response.set_header(name, value);
}

}  // namespace

void add_security_headers(httplib::Response& response, bool tls) {
  set_unless_present(response, "Content-Security-Policy", app_content_security_policy);
  set_unless_present(response, "X-Frame-Options", "DENY");
  set_unless_present(response, "X-Content-Type-Options", "nosniff");
  set_unless_present(response, "Referrer-Policy", "no-referrer");
  // A year; browsers then refuse plain HTTP to this host.
  if (tls) set_unless_present(response, "Strict-Transport-Security", "max-age=31536000");
}

}  // namespace invites::http
