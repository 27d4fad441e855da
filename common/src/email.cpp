#include "invites/email.hpp"

namespace invites {
namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_lower_alpha(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Local-part characters of SPEC §2.3 other than letters, digits and '.'.
bool is_local_symbol(char c) {
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '/': case '=': case '?': case '^': case '_': case '`': case '{': case '|':
    case '}': case '~': case '-':
      return true;
    default:
      return false;
  }
}

bool is_valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > max_local_part_length) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  char previous = 0;
  for (char c : local) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!is_lower_alpha(c) && !is_digit(c) && !is_local_symbol(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool is_valid_label(std::string_view label) {
  if (label.empty() || label.size() > max_domain_label_length) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label)
    if (!is_lower_alpha(c) && !is_digit(c) && c != '-') return false;
  return true;
}

bool is_valid_domain(std::string_view domain) {
  std::size_t labels = 0;
  std::string_view last;
  while (true) {
    std::size_t dot = domain.find('.');
    std::string_view label = domain.substr(0, dot);
    if (!is_valid_label(label)) return false;
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  if (labels < 2 || last.size() < 2) return false;
  for (char c : last)
    if (!is_lower_alpha(c)) return false;
  return true;
}

}  // namespace

void append_normalized_email(std::string_view raw, std::string& out) {
  while (!raw.empty() && is_ascii_space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_ascii_space(raw.back())) raw.remove_suffix(1);
  for (char c : raw) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
}

std::string normalize_email(std::string_view raw) {
  std::string normalized;
  normalized.reserve(raw.size());
  append_normalized_email(raw, normalized);
  return normalized;
}

bool is_valid_email(std::string_view normalized) noexcept {
  if (normalized.empty() || normalized.size() > max_email_length) return false;
  std::size_t at = normalized.find('@');
  if (at == std::string_view::npos || normalized.find('@', at + 1) != std::string_view::npos) return false;
  return is_valid_local_part(normalized.substr(0, at)) && is_valid_domain(normalized.substr(at + 1));
}

}  // namespace invites
