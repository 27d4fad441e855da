// The invitee's password rule (issue 12 item 18): characters, not bytes;
// no single repeated character; no common password; not the address.
#include <string>

#include <catch2/catch.hpp>

#include "security/password_rules.hpp"

using Catch::Matchers::Contains;
using invites::security::portal_password_problem;
using invites::security::utf8_length;

namespace {

constexpr const char* email = "pat.doe@example.com";

std::string problem_of(const std::string& password) { return portal_password_problem(password, email).value_or(""); }

}  // namespace

TEST_CASE("portal password: counts characters, not bytes") {
  // Five 'ä' are ten bytes but five characters.
  CHECK_THAT(problem_of("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"), Contains("too short"));
  CHECK_THAT(problem_of("\xc3\xa4x\xc3\xa4y\xc3\xa4z\xc3\xa4w\xc3\xa4"), Contains("too short"));  // 9 characters
  CHECK_FALSE(portal_password_problem("\xc3\xa4x\xc3\xa4y\xc3\xa4z\xc3\xa4w\xc3\xa4v", email));   // 10
  CHECK_THAT(problem_of(std::string(128, 'x') + "y"), Contains("too long"));
  // 128 three-byte characters (384 bytes) are within the limit.
  std::string euros;
  for (int i = 0; i < 127; ++i) euros += "\xe2\x82\xac";
  CHECK_FALSE(portal_password_problem(euros + "x", email));
}

TEST_CASE("portal password: one character repeated is refused, in any script") {
  CHECK_THAT(problem_of("aaaaaaaaaa"), Contains("one character repeated"));
  CHECK_THAT(problem_of("1111111111111"), Contains("one character repeated"));
  CHECK_THAT(problem_of("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"),
             Contains("one character repeated"));
  CHECK_FALSE(portal_password_problem("aaaaaaaaab", email));
}

TEST_CASE("portal password: the common ones are refused, whatever their ASCII case") {
  CHECK_THAT(problem_of("password123"), Contains("most commonly used"));
  CHECK_THAT(problem_of("Password123"), Contains("most commonly used"));
  CHECK_THAT(problem_of("QWERTYUIOP"), Contains("most commonly used"));
  CHECK_THAT(problem_of("1234567890"), Contains("most commonly used"));
  CHECK_FALSE(portal_password_problem("correct horse battery", email));
}

TEST_CASE("portal password: not the invitee's own address, and valid text only") {
  CHECK_THAT(problem_of("Pat.Doe@example.com"), Contains("email address"));
  CHECK_THAT(problem_of("abcdefghijk\xff"), Contains("not valid text"));
  CHECK_THAT(problem_of("abcdefghijk\xc3"), Contains("not valid text"));          // cut in the middle
  CHECK_THAT(problem_of("abcdefghijk\xc0\xaf"), Contains("not valid text"));      // overlong '/'
  CHECK_THAT(problem_of("abcdefghijk\xed\xa0\x80"), Contains("not valid text"));  // a UTF-16 surrogate
}

TEST_CASE("utf8_length") {
  CHECK(utf8_length("") == 0u);
  CHECK(utf8_length("abc") == 3u);
  CHECK(utf8_length("\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80") == 3u);
  CHECK_FALSE(utf8_length("\xf4\x90\x80\x80"));  // past U+10FFFF
}
