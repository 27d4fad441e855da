#include "security/usernames.hpp"

#include <algorithm>

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
  const auto control = [](unsigned char c) { return c < 0x20 || c == 0x7f; };
  if (std::any_of(username.begin(), username.end(), control)) {
    return "must not contain control characters (line breaks, tabs, ...)";
  }
  if (username.front() == ' ' || username.back() == ' ') return "must not start or end with a space";
  return std::nullopt;
}

}  // namespace invites::security
