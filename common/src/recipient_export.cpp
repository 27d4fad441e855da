#include "invites/recipient_export.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "invites/csv.hpp"

namespace invites {
namespace {

// Days since 1970-01-01 → civil date (proleptic Gregorian), without the C
// library's time zone machinery (the same in every build, WebAssembly too).
void civil_date(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

std::string utc_text(std::int64_t seconds, const char* format) {
  std::int64_t days = seconds / 86400, in_day = seconds % 86400;
  if (in_day < 0) {
    in_day += 86400;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_date(days, y, m, d);
  char out[48];
  std::snprintf(out, sizeof out, format, static_cast<long long>(y), m, d, static_cast<long long>(in_day / 3600),
                static_cast<long long>((in_day % 3600) / 60), static_cast<long long>(in_day % 60));
  return out;
}

}  // namespace

std::string iso8601_utc(std::int64_t unix_seconds) {
  return utc_text(unix_seconds, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ");
}

std::string readable_utc(std::int64_t unix_seconds) {
  return utc_text(unix_seconds, "%04lld-%02u-%02u %02lld:%02lld:%02lld UTC");
}

nlohmann::json recipient_page_json(const RecipientPage& page) {
  auto rows = nlohmann::json::array();
  for (const RecipientView& row : page.rows) {
    rows.push_back({{"email", row.email},
                    {"first_name", row.first_name},
                    {"last_name", row.last_name},
                    {"account_number", row.account_number},
                    {"account_name", row.account_name},
                    {"contact_id", row.contact_id},
                    {"last_invited_at", row.last_invited_at > 0 ? nlohmann::json(iso8601_utc(row.last_invited_at))
                                                                : nlohmann::json(nullptr)}});
  }
  return {{"total", page.total}, {"rows", std::move(rows)}};
}

void append_recipient_csv_header(std::string& out) {
  append_csv_row(
      out, {"email", "first_name", "last_name", "account_number", "account_name", "contact_id", "last_invited_at"});
}

void append_recipient_csv_row(std::string& out, const RecipientView& row) {
  const std::string contact_id = std::to_string(row.contact_id);
  const std::string invited = row.last_invited_at > 0 ? iso8601_utc(row.last_invited_at) : std::string();
  append_csv_row(out,
                 {row.email, row.first_name, row.last_name, row.account_number, row.account_name, contact_id, invited});
}

std::string recipient_page_csv(const RecipientPage& page) {
  std::string out;
  out.reserve(64 + page.rows.size() * 96);
  append_recipient_csv_header(out);
  for (const RecipientView& row : page.rows) append_recipient_csv_row(out, row);
  return out;
}

}  // namespace invites
