#include <catch2/catch.hpp>

#include <string>

#include "invites/email.hpp"

using invites::is_valid_email;
using invites::normalize_email;

namespace {
bool valid_after_normalizing(const std::string& raw) { return is_valid_email(normalize_email(raw)); }
}  // namespace

TEST_CASE("normalization trims ASCII whitespace and lower-cases ASCII") {
  CHECK(normalize_email("  Alice@Example.COM ") == "alice@example.com");
  CHECK(normalize_email("\t\r\nbob@x.org\n\t") == "bob@x.org");
  CHECK(normalize_email("a b@x.org") == "a b@x.org");  // inner space stays (and is invalid)
  CHECK(normalize_email("") == "");
  CHECK(normalize_email(" \t ") == "");
  // Non-ASCII is neither trimmed nor lower-cased: U+00A0 and U+00C9 stay as bytes.
  CHECK(normalize_email("\xC2\xA0x@y.com") == "\xC2\xA0x@y.com");
  CHECK(normalize_email("\xC3\x89@y.com") == "\xC3\x89@y.com");
  // Vertical tab and form feed are not in the rule's whitespace set.
  CHECK(normalize_email("\va@b.com") == "\va@b.com");
}

TEST_CASE("valid addresses") {
  CHECK(valid_after_normalizing("user@example.com"));
  CHECK(valid_after_normalizing(" User.Name+tag@Sub.Example.ORG\t"));
  CHECK(valid_after_normalizing("a@b.co"));
  CHECK(valid_after_normalizing("!#$%&'*+/=?^_`{|}~-@x-y.example.com"));
  CHECK(valid_after_normalizing("1@2.io"));
  CHECK(valid_after_normalizing(std::string(64, 'a') + "@x.com"));
  CHECK(valid_after_normalizing("a@" + std::string(63, 'b') + ".com"));
}

TEST_CASE("invalid addresses") {
  CHECK_FALSE(valid_after_normalizing(""));
  CHECK_FALSE(valid_after_normalizing("   "));
  CHECK_FALSE(valid_after_normalizing("plainaddress"));
  CHECK_FALSE(valid_after_normalizing("a..b@x.com"));
  CHECK_FALSE(valid_after_normalizing(".a@x.com"));
  CHECK_FALSE(valid_after_normalizing("a.@x.com"));
  CHECK_FALSE(valid_after_normalizing("a@b"));
  CHECK_FALSE(valid_after_normalizing("a@-b.com"));
  CHECK_FALSE(valid_after_normalizing("a@b-.com"));
  CHECK_FALSE(valid_after_normalizing("a@b..com"));
  CHECK_FALSE(valid_after_normalizing("a@.b.com"));
  CHECK_FALSE(valid_after_normalizing("a@b.com."));
  CHECK_FALSE(valid_after_normalizing("a@b.c"));
  CHECK_FALSE(valid_after_normalizing("a@b.c0m"));
  CHECK_FALSE(valid_after_normalizing("a@b.123"));
  CHECK_FALSE(valid_after_normalizing("\"quoted\"@x.com"));
  CHECK_FALSE(valid_after_normalizing("a@b@x.com"));
  CHECK_FALSE(valid_after_normalizing("@x.com"));
  CHECK_FALSE(valid_after_normalizing("a@"));
  CHECK_FALSE(valid_after_normalizing("a b@x.com"));
  CHECK_FALSE(valid_after_normalizing("a\tb@x.com"));
  CHECK_FALSE(valid_after_normalizing("a@x_y.com"));
  CHECK_FALSE(valid_after_normalizing("a(b)@x.com"));
  CHECK_FALSE(valid_after_normalizing(std::string(65, 'a') + "@x.com"));
  CHECK_FALSE(valid_after_normalizing("a@" + std::string(64, 'b') + ".com"));
  CHECK_FALSE(valid_after_normalizing("j\xC3\xB6rg@x.com"));    // non-ASCII local part
  CHECK_FALSE(valid_after_normalizing("a@m\xC3\xBCnchen.de"));  // non-ASCII domain
  CHECK_FALSE(
      valid_after_normalizing("\xE2\x80\x8B"
                              "a@x.com"));  // zero-width space
  CHECK_FALSE(valid_after_normalizing("a@[127.0.0.1]"));
  CHECK_FALSE(valid_after_normalizing(std::string("a\0b@x.com", 9)));
}

TEST_CASE("the 254 character limit applies to the normalized address") {
  // 64 + 1 + (63 + 1) * 2 + 61 = 254
  std::string domain = std::string(63, 'd') + "." + std::string(63, 'e') + "." + std::string(61, 'f');
  std::string at_limit = std::string(64, 'a') + "@" + domain;
  REQUIRE(at_limit.size() == 254);
  CHECK(is_valid_email(at_limit));
  CHECK_FALSE(is_valid_email(at_limit + "g"));
  CHECK(valid_after_normalizing("  " + at_limit + "  "));  // surrounding spaces do not count
}

TEST_CASE("normalization is idempotent") {
  for (const char* raw : {" A@B.COM ", "x", "\t", "MiXeD@Case.Org\r\n"}) {
    std::string once = normalize_email(raw);
    CHECK(normalize_email(once) == once);
  }
}
