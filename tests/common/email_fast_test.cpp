// is_valid_email (one pass, character table) against a rule-by-rule
// reference of docs/design.md §2.3 (the previous implementation), on edge cases and on
// many random addresses built from the characters that matter.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "invites/email.hpp"
#include "random_dataset.hpp"

using namespace invites;

namespace {

bool is_lower_alpha(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Local-part characters of docs/design.md §2.3 other than letters, digits and '.'.
bool is_local_symbol(char c) {
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
    case '-':
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

bool reference_is_valid(std::string_view normalized) {
  if (normalized.empty() || normalized.size() > max_email_length) return false;
  std::size_t at = normalized.find('@');
  if (at == std::string_view::npos || normalized.find('@', at + 1) != std::string_view::npos) return false;
  return is_valid_local_part(normalized.substr(0, at)) && is_valid_domain(normalized.substr(at + 1));
}

}  // namespace

TEST_CASE("the one-pass email check agrees with the rule-by-rule reference") {
  const char* edge[] = {"a@b.co",    "a@b.c",
                        "a@b",       "@b.co",
                        "a@.co",     "a@b..co",
                        "a.@b.co",   ".a@b.co",
                        "a..b@b.co", "a@-b.co",
                        "a@b-.co",   "a@b.c0",
                        "a@b.co.",   "a@@b.co",
                        "a@b@c.co",  "a b@c.co",
                        "Ab@c.co",   "a@b.-co",
                        "a@1.23",    "a@b.co-",
                        "x@y.zz",    "!#$%&'*+/=?^_`{|}~-@a.bc",
                        "a\"b@c.co", "é@c.co",
                        "a@b_c.co",  "a@b.co\n",
                        ""};
  for (const char* e : edge) {
    INFO(e);
    CHECK(is_valid_email(e) == reference_is_valid(e));
  }
  CHECK(is_valid_email(std::string(64, 'a') + "@b.co"));
  CHECK_FALSE(is_valid_email(std::string(65, 'a') + "@b.co"));
  CHECK(is_valid_email("a@" + std::string(63, 'b') + ".co"));
  CHECK_FALSE(is_valid_email("a@" + std::string(64, 'b') + ".co"));
  const std::string long_ok = std::string(64, 'a') + "@" + std::string(60, 'b') + "." + std::string(60, 'c') + "." +
                              std::string(60, 'd') + "." + std::string(5, 'e');
  CHECK(is_valid_email(long_ok) == reference_is_valid(long_ok));

  testing::Rng rng(12);
  const std::string alphabet = "ab0-.@_+!Z \t\"\xc3";
  int valid = 0;
  for (int i = 0; i < 300000; ++i) {
    std::string e;
    const std::size_t n = rng.below(14);
    for (std::size_t k = 0; k < n; ++k) e.push_back(alphabet[rng.below(rng.chance(0.7) ? 5 : alphabet.size())]);
    if (rng.chance(0.5)) e = (rng.chance(0.5) ? "ab" : "a.b") + std::string("@") + e + (rng.chance(0.6) ? ".co" : "");
    const bool expected = reference_is_valid(e);
    valid += expected;
    if (is_valid_email(e) != expected) {
      INFO("address: [" << e << "]");
      CHECK(is_valid_email(e) == expected);
    }
  }
  CHECK(valid > 1000);  // the generator reaches valid addresses too

  // Around the lengths where the DFA hands over to the long check (63/64) and the limits (64, 63, 254).
  int long_valid = 0;
  for (int i = 0; i < 20000; ++i) {
    auto part = [&](std::size_t max_len, const std::string& chars) {
      std::string p;
      const std::size_t n = 1 + rng.below(max_len);
      for (std::size_t k = 0; k < n; ++k) p.push_back(chars[rng.below(chars.size())]);
      return p;
    };
    std::string e = part(70, "abcxyz0129.-_") + "@" + part(70, "abc09-");
    const std::size_t labels = rng.below(4);
    for (std::size_t k = 0; k < labels; ++k)
      e += "." + part(rng.chance(0.5) ? 3 : 70, rng.chance(0.7) ? "abcz" : "ab9-");
    const bool expected = reference_is_valid(e);
    long_valid += expected;
    if (is_valid_email(e) != expected) {
      INFO("address: [" << e << "] length " << e.size());
      CHECK(is_valid_email(e) == expected);
    }
  }
  CHECK(long_valid > 500);
}
