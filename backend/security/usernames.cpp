#include "security/usernames.hpp"

#include <algorithm>

#include "security/log_text.hpp"
#include "security/password_rules.hpp"

namespace invites::security {

std::string username_key(std::string_view username) {
  std::string key(username);
  std::transform(key.begin(), key.end(), key.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return key;
}

std::optional<std::string> username_problem(std::string_view username) {
  if (username.empty() || username.size() > max_username_bytes) return "must be 1-64 characters";
  if (!utf8_length(username)) return "must be valid UTF-8 text";
  for (std::size_t at = 0; at < username.size(); ++at) {
    if (control_character_length(username.substr(at)) > 0) {
      return "must not contain control characters (line breaks, tabs, U+0085, U+2028, ...)";
    }
  }
  if (username.front() == ' ' || username.back() == ' ') return "must not start or end with a space";
  return std::nullopt;
}

}  // namespace invites::security
