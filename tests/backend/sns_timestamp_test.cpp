// The Timestamp of an SNS message (SES webhooks, docs/design.md §11) is read by
// common/'s one UTC parser: the same seconds as every other ISO 8601 time, and
// a day that does not exist is refused rather than rolled into the next month.
#include <catch2/catch.hpp>

#include "security/sns_signature.hpp"

using Catch::Matchers::Contains;
using invites::security::SignatureError;
using invites::security::sns_timestamp_seconds;

TEST_CASE("an SNS Timestamp reads as its Unix seconds, the milliseconds dropped") {
  CHECK(sns_timestamp_seconds("2012-04-25T21:49:25.719Z") == 1335390565);
  CHECK(sns_timestamp_seconds("1970-01-01T00:00:00Z") == 0);
}

TEST_CASE("an SNS Timestamp that is no UTC time, or no real day, is refused by name") {
  for (const char* text : {"yesterday", "2026-02-30T12:00:00Z", "2026-13-01T00:00:00Z", "2026-11-26T12:00:00+01:00",
                           "2026-11-26T25:00:00Z"}) {
    INFO(text);
    CHECK_THROWS_WITH(sns_timestamp_seconds(text), Contains("SNS Timestamp") && Contains("not an ISO 8601 UTC time"));
    CHECK_THROWS_AS(sns_timestamp_seconds(text), SignatureError);
  }
}
