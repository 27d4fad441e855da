#include <catch2/catch.hpp>

#include "invites/percent_encoding.hpp"

using invites::percent_encode;

TEST_CASE("percent_encode keeps the unreserved characters and encodes every other byte", "[url]") {
  CHECK(percent_encode("a-b_c.d~e f") == "a-b_c.d~e%20f");
  CHECK(percent_encode("AZaz09") == "AZaz09");
  CHECK(percent_encode("jo+doe@x.com/ü?") == "jo%2Bdoe%40x.com%2F%C3%BC%3F");
  CHECK(percent_encode("p:a@s%") == "p%3Aa%40s%25");
  CHECK(percent_encode(std::string_view("\0\xff", 2)) == "%00%FF");
  CHECK(percent_encode("") == "");
}
