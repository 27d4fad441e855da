#include "invites/recipient_export.hpp"

#include <nlohmann/json.hpp>

#include "invites/csv.hpp"
#include "invites/utc_time.hpp"

namespace invites {

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

std::string recipient_csv_name(CountGroup group) {
  return "recipients-" + std::string(count_group_name(group)) + ".csv";
}

}  // namespace invites
