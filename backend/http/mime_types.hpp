#pragma once
// Content types of the web bundle's files.
#include <string_view>

namespace invites::http {

// The Content-Type value by the file name's extension (case-insensitive);
// unknown ones are application/octet-stream.
std::string_view mime_type_for(std::string_view file_name);

}  // namespace invites::http
