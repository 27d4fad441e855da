#pragma once
// Times in the browser's time zone and locale (Intl.DateTimeFormat), for
// what the UI shows; the UI keeps the UTC time in the accessible name.

#include <string>

namespace invites::platform {

// "2026-11-01T09:30:00Z" → e.g. "Nov 1, 2026, 10:30 AM" (en-US, Europe/Berlin);
// the input unchanged when the browser cannot read it.
std::string local_time(const std::string& iso_utc);

}  // namespace invites::platform
