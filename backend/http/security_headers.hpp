#pragma once
// Headers every response carries, unless its route set its own (the
// invitee's page has a stricter policy):
// - Content-Security-Policy: scripts only from this origin plus the
//   compilation of WebAssembly ('wasm-unsafe-eval'), no plugins, no <base>,
//   forms only to this origin, and no framing by any site (frame-ancestors,
//   with X-Frame-Options for older browsers). Inline styles stay allowed:
//   the app's page has a <style> block and its script sets styles.
//   Images may come from anywhere: an invitation preview shows the
//   template's images, in a tab that inherits this policy.
// - X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer.
// - Strict-Transport-Security when serving TLS.
#include <httplib.h>

namespace invites::http {

inline constexpr const char* app_content_security_policy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src * data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void add_security_headers(httplib::Response& response, bool tls);

}  // namespace invites::http
