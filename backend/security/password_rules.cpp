#include "security/password_rules.hpp"

#include "security/common_passwords.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>

namespace invites::security {

namespace {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

const std::unordered_set<std::string>& common_passwords() {
  static const std::unordered_set<std::string> passwords = [] {
    std::unordered_set<std::string> set;
    std::string_view text = common_passwords_text();
    while (!text.empty()) {
      const auto end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty() && line.front() != '#') set.insert(ascii_lower(line));
    }
    return set;
  }();
  return passwords;
}

// The byte length of the UTF-8 sequence starting with `lead`; 0 when no sequence starts so.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

// One code point repeated (the text being valid UTF-8).
bool single_repeated_character(std::string_view text) {
  const std::size_t first = sequence_length(static_cast<unsigned char>(text.front()));
  const std::string_view unit = text.substr(0, first);
  for (std::size_t at = 0; at < text.size(); at += first) {
    if (text.substr(at, first) != unit) return false;
  }
  return true;
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = sequence_length(lead);
    if (length == 0 || at + length > text.size()) return std::nullopt;
    for (std::size_t i = 1; i < length; ++i) {
      if ((static_cast<unsigned char>(text[at + i]) & 0xc0) != 0x80) return std::nullopt;
    }
    // Overlong three- and four-byte forms, UTF-16 surrogates and code points past U+10FFFF.
    const auto second = length > 1 ? static_cast<unsigned char>(text[at + 1]) : 0;
    if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second >= 0xa0) || (lead == 0xf0 && second < 0x90) ||
        (lead == 0xf4 && second >= 0x90)) {
      return std::nullopt;
    }
    at += length;
  }
  return count;
}

std::optional<std::string> portal_password_problem(std::string_view password, std::string_view email) {
  const auto length = utf8_length(password);
  if (!length) return "The password contains characters that are not valid text. Please type it again.";
  if (*length < min_portal_password_characters) {
    return "The password is too short: use at least " + std::to_string(min_portal_password_characters) + " characters.";
  }
  if (*length > max_portal_password_characters) {
    return "The password is too long: use at most " + std::to_string(max_portal_password_characters) + " characters.";
  }
  if (single_repeated_character(password)) {
    return "The password is one character repeated. Please choose one that is harder to guess.";
  }
  const std::string lowered = ascii_lower(password);
  if (common_passwords().contains(lowered)) {
    return "This password is one of the most commonly used ones. Please choose one that is harder to guess.";
  }
  if (!email.empty() && lowered == ascii_lower(email)) {
    return "The password must not be your email address.";
  }
  return std::nullopt;
}

}  // namespace invites::security
