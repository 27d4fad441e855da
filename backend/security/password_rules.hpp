#pragma once
// The rule for the password an invitee sets on the portal page: 10 to 128
// characters (Unicode code points, not bytes: five 'ä' are five), not one
// character repeated, not one of the commonly chosen passwords of
// common_passwords.txt (ignoring ASCII case), and not the invitee's own
// email address.
#include <optional>
#include <string>
#include <string_view>

namespace invites::security {

inline constexpr std::size_t min_portal_password_characters = 10;
inline constexpr std::size_t max_portal_password_characters = 128;

// What is wrong with the password, as a sentence for the invitee; nullopt when it is acceptable.
std::optional<std::string> portal_password_problem(std::string_view password, std::string_view email);

// Unicode code points in UTF-8 text; nullopt for text that is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

}  // namespace invites::security
