// UTC dates without the C library's time zones (invites/utc_time.hpp): the
// same text natively and in WebAssembly, leap days, dates before 1970, and
// parsing that refuses what is not ISO 8601 UTC.
#include <catch2/catch.hpp>

#include "invites/utc_time.hpp"

using namespace invites;

TEST_CASE("UTC dates: ISO 8601, readable and calendar day, leap days and dates before 1970", "[utc]") {
  CHECK(iso8601_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(iso8601_utc(951782400) == "2000-02-29T00:00:00Z");
  CHECK(iso8601_utc(1795698245) == "2026-11-26T13:04:05Z");
  CHECK(iso8601_utc(-1) == "1969-12-31T23:59:59Z");
  CHECK(iso8601_utc(-86400 * 365) == "1969-01-01T00:00:00Z");
  CHECK(iso8601_utc(4102444799) == "2099-12-31T23:59:59Z");
  CHECK(iso8601_utc(4107542400) == "2100-03-01T00:00:00Z");  // 2100 is not a leap year
  CHECK(readable_utc(1795698245) == "2026-11-26 13:04:05 UTC");
  CHECK(utc_date(1795698245) == "2026-11-26");
  CHECK(utc_date(1795698245 + 14 * 86400) == "2026-12-10");
  CHECK(utc_date(951868799) == "2000-02-29");  // the leap day's last second
  CHECK(utc_date(951868800) == "2000-03-01");
}

TEST_CASE("ISO 8601 UTC text parses back to the same second", "[utc]") {
  for (const std::int64_t seconds : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{951782400},
                                     std::int64_t{1795698245}, std::int64_t{4107542400}, std::int64_t{-2208988800}}) {
    INFO(seconds);
    CHECK(parse_iso8601_utc(iso8601_utc(seconds)) == seconds);
  }
  CHECK(parse_iso8601_utc("2026-11-26 13:04:05") == 1795698245);       // a space, no zone: UTC
  CHECK(parse_iso8601_utc("2026-11-26T13:04:05.123Z") == 1795698245);  // the fraction is dropped
  CHECK(parse_iso8601_utc("2026-11-26T13:04:05+00:00") == 1795698245);
  CHECK(parse_iso8601_utc("2026-11-26T13:04:05+0000") == 1795698245);
  CHECK(parse_iso8601_utc("2026-11-26T13:04:05z") == 1795698245);
  CHECK(parse_iso8601_utc("2024-02-29T00:00:00Z").has_value());
}

TEST_CASE("text that is not ISO 8601 UTC does not parse", "[utc]") {
  for (const char* text :
       {"", "yesterday", "2026-11-26", "2026-11-26T13:04", "2026-11-26T13:04:05+01:00", "2026-11-26T13:04:05Z trailing",
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T12:60:00Z", "2026-11-26T12:00:61Z",
        "2026-11-26T12:00:00.Z", " 2026-11-26T12:00:00Z", "+026-11-26T12:00:00Z", "2026/11/26T12:00:00Z"}) {
    INFO(text);
    CHECK_FALSE(parse_iso8601_utc(text).has_value());
  }
}

TEST_CASE("short UTC text for tables: to the minute, other text unchanged", "[utc]") {
  CHECK(short_utc("2026-11-01T09:30:59Z") == "2026-11-01 09:30");
  CHECK(short_utc("2026-11-01T09:30:00.999Z") == "2026-11-01 09:30");
  CHECK(short_utc("1969-12-31T23:59:59Z") == "1969-12-31 23:59");
  CHECK(short_utc("") == "");
  CHECK(short_utc("not a date") == "not a date");
}
