#include <catch2/catch.hpp>

#include <string_view>
#include <utility>

#include "invites/percent_encoding.hpp"

TEST_CASE("percent_encode keeps the unreserved characters and writes every other byte as %XX", "[url]") {
  using Case = std::pair<std::string_view, std::string_view>;  // text, its encoding
  const Case cases[] = {
      {"AZaz09-._~", "AZaz09-._~"},
      {"", ""},
      {"a-b_c.d~e f", "a-b_c.d~e%20f"},
      {"jo+doe@x.com/\xC3\xBC?", "jo%2Bdoe%40x.com%2F%C3%BC%3F"},  // UTF-8 byte by byte, upper-case hex
      {"p:a@s%", "p%3Aa%40s%25"},
      {std::string_view("\0\xff", 2), "%00%FF"},
  };
  for (const auto& [text, encoded] : cases) CHECK(invites::percent_encode(text) == encoded);
}
