// The list of passwords too common to allow (security/common_passwords.txt),
// compiled into the binary by backend/cmake/embed_text.cmake.
#pragma once

#include <string_view>

namespace invites::security {

// One password a line; lines starting with '#' are comments.
std::string_view common_passwords_text();

}  // namespace invites::security
