#pragma once
// Dates and times in UTC, the only zone the product shows and stores (the API
// sends ISO 8601 with "Z"). Plain arithmetic on the proleptic Gregorian
// calendar, without the C library's time zone machinery, so the server, the
// native tests and the WebAssembly build give the same text for the same second.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace invites {

// "2026-11-26T12:30:00Z": the API's form.
std::string iso8601_utc(std::int64_t unix_seconds);
// "2026-11-26 12:30:00 UTC", for people.
std::string readable_utc(std::int64_t unix_seconds);
// "2026-11-26": a calendar day, e.g. the last day an invitation link works.
std::string utc_date(std::int64_t unix_seconds);

// Seconds since 1970 of "YYYY-MM-DDTHH:MM:SS" (or a space for the "T"), with
// an optional fraction (dropped) and "Z", "+00:00", "+0000" or no zone
// (read as UTC). nullopt for anything else, another zone included.
std::optional<std::int64_t> parse_iso8601_utc(std::string_view text);
// "2026-11-26 12:30" from ISO 8601 UTC text, for tables; the text unchanged
// when it is not such a time (empty stays empty).
std::string short_utc(std::string_view iso8601);

}  // namespace invites
