#pragma once
// The API forms of a page of recipients (docs/design.md §5): the JSON of
// GET /api/previews/{id}/recipients and its CSV download. The server and
// the browser's offline preview both answer with these, so the two can
// never differ; dates are UTC, ISO 8601 (invites/utc_time.hpp).
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "invites/evaluator.hpp"

namespace invites {

// {"total": N, "rows": [{"email", "first_name", "last_name", "account_number",
// "account_name", "contact_id", "last_invited_at" (ISO 8601 or null)}, ...]}
nlohmann::json recipient_page_json(const RecipientPage& page);
// The same columns as CSV with a header row (RFC 4180, formulas neutralized).
std::string recipient_page_csv(const RecipientPage& page);
// Its pieces, for writing it a few rows at a time: the header row, and one row.
void append_recipient_csv_header(std::string& out);
void append_recipient_csv_row(std::string& out, const RecipientView& row);
// The download's file name: "recipients-new_users.csv".
std::string recipient_csv_name(CountGroup group);

}  // namespace invites
