#include "invites/utc_time.hpp"

#include <cstdio>

namespace invites {
namespace {

constexpr std::int64_t seconds_per_day = 86400;

struct CivilTime {
  std::int64_t year = 0;
  unsigned month = 0, day = 0;  // 1-based
  unsigned hour = 0, minute = 0, second = 0;
};

// Days since 1970-01-01 of a civil date and back (H. Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilTime civil_from_seconds(std::int64_t seconds) {
  std::int64_t days = seconds / seconds_per_day, in_day = seconds % seconds_per_day;
  if (in_day < 0) {
    in_day += seconds_per_day;
    --days;
  }
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilTime t;
  t.day = doy - (153 * mp + 2) / 5 + 1;
  t.month = mp < 10 ? mp + 3 : mp - 9;
  t.year = static_cast<std::int64_t>(yoe) + era * 400 + (t.month <= 2 ? 1 : 0);
  t.hour = static_cast<unsigned>(in_day / 3600);
  t.minute = static_cast<unsigned>(in_day % 3600 / 60);
  t.second = static_cast<unsigned>(in_day % 60);
  return t;
}

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

// Exactly `width` digits at `at`.
bool read_digits(std::string_view text, std::size_t at, std::size_t width, unsigned& out) {
  if (at + width > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

std::string civil_text(const CivilTime& t, const char* format) {
  char out[64];
  std::snprintf(out, sizeof out, format, static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second);
  return out;
}

}  // namespace

std::string iso8601_utc(std::int64_t unix_seconds) {
  return civil_text(civil_from_seconds(unix_seconds), "%04lld-%02u-%02uT%02u:%02u:%02uZ");
}

std::string readable_utc(std::int64_t unix_seconds) {
  return civil_text(civil_from_seconds(unix_seconds), "%04lld-%02u-%02u %02u:%02u:%02u UTC");
}

std::string utc_date(std::int64_t unix_seconds) {
  return civil_text(civil_from_seconds(unix_seconds), "%04lld-%02u-%02u");
}

std::optional<std::int64_t> parse_iso8601_utc(std::string_view text) {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !read_digits(text, 5, 2, month) ||
      text[7] != '-' || !read_digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != ' ') ||
      !read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' ||
      !read_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  std::size_t rest = 19;
  if (rest < text.size() && text[rest] == '.') {
    const std::size_t digits = ++rest;
    while (rest < text.size() && text[rest] >= '0' && text[rest] <= '9') ++rest;
    if (rest == digits) return std::nullopt;
  }
  const std::string_view zone = text.substr(rest);
  if (!(zone.empty() || zone == "Z" || zone == "z" || zone == "+00:00" || zone == "+0000")) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  return days_from_civil(year, month, day) * seconds_per_day + hour * 3600 + minute * 60 + second;
}

std::string short_utc(std::string_view iso8601) {
  const auto seconds = parse_iso8601_utc(iso8601);
  if (!seconds) return std::string(iso8601);
  return civil_text(civil_from_seconds(*seconds), "%04lld-%02u-%02u %02u:%02u");
}

}  // namespace invites
