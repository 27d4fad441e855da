// The API forms of a recipient page, shared by the server and the offline
// preview: JSON rows with ISO 8601 UTC dates and null for "never invited",
// CSV with a header row and neutralized formulas.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "invites/recipient_export.hpp"

using namespace invites;

TEST_CASE("a recipient page as JSON and as CSV", "[export]") {
  RecipientPage page;
  page.total = 7;
  page.rows.push_back({"ana@example.com", "Ana", "Lima", "A-1", "Lima, Ana", 12, 1795698245});
  page.rows.push_back({"bo@example.com", "=cmd", "", "A-2", "Bo", 13, 0});

  const auto json = recipient_page_json(page);
  CHECK(json["total"] == 7);
  REQUIRE(json["rows"].size() == 2);
  CHECK(json["rows"][0] == nlohmann::json{{"email", "ana@example.com"},
                                          {"first_name", "Ana"},
                                          {"last_name", "Lima"},
                                          {"account_number", "A-1"},
                                          {"account_name", "Lima, Ana"},
                                          {"contact_id", 12},
                                          {"last_invited_at", "2026-11-26T13:04:05Z"}});
  CHECK(json["rows"][1]["last_invited_at"].is_null());

  CHECK(recipient_page_csv(page) ==
        "email,first_name,last_name,account_number,account_name,contact_id,last_invited_at\r\n"
        "ana@example.com,Ana,Lima,A-1,\"Lima, Ana\",12,2026-11-26T13:04:05Z\r\n"
        "bo@example.com,'=cmd,,A-2,Bo,13,\r\n");
}

TEST_CASE("the CSV download is named after its list", "[export]") {
  CHECK(recipient_csv_name(CountGroup::new_users) == "recipients-new_users.csv");
  CHECK(recipient_csv_name(CountGroup::skipped_invalid_email) == "recipients-skipped_invalid_email.csv");
}
