#pragma once
// Decodes a response body of a content coding (gzip, br, zstd; "" or
// "identity" as is), for tests that check what the server compressed.
#include <string>
#include <string_view>

namespace invites::testing {

// Throws std::runtime_error for a corrupt or truncated body or an unknown coding.
std::string decode_content(std::string_view coding, std::string_view body);

}  // namespace invites::testing
