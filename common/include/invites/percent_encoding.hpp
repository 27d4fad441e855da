#pragma once
// Percent-encoding (RFC 3986 §2.1): every byte but the unreserved characters
// (letters, digits, "-", ".", "_", "~") as "%XX" with upper-case hex, so the
// text is safe as a query-string value or a URL's user or password.
#include <string>
#include <string_view>

namespace invites {

std::string percent_encode(std::string_view text);

}  // namespace invites
