#pragma once
// Staff usernames. The database's collation folds far more than case
// ("tmpl ", "tmpĺ" and full-width "ｔｍｐｌ" all equal "tmpl"), so a login
// matches a user only when the two agree on username_key: ASCII case
// ignored, every other character exact. The login throttle counts by the
// same key, so no spelling of a name gets a budget of its own.
#include <optional>
#include <string>
#include <string_view>

namespace invites::security {

inline constexpr std::size_t max_username_bytes = 64;

// The form under which a username finds its user and is throttled.
std::string username_key(std::string_view username);

// What is wrong with a username given to `user add`, as a phrase; nullopt
// when it is acceptable: 1 to 64 bytes of valid UTF-8, no control
// characters (log_text.hpp: they would forge log lines), no leading or
// trailing space.
std::optional<std::string> username_problem(std::string_view username);

}  // namespace invites::security
