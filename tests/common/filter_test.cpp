#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "invites/error.hpp"
#include "invites/filter.hpp"

using invites::Filter;
using invites::parse_filter;
using invites::ValidationError;

namespace {
std::string field_of_error(const std::string& json_text) {
  try {
    parse_filter(json_text);
  } catch (const ValidationError& e) {
    return e.field();
  }
  return "<no error>";
}
}  // namespace

TEST_CASE("an empty object is the filter that matches everything") { CHECK(parse_filter("{}") == Filter{}); }

TEST_CASE("every field parses and round-trips through JSON") {
  Filter filter = parse_filter(R"({"division_ids":[1,2],"account_class_ids":[3],"bill_group_ids":[4,5,6],
      "account_source_ids":[7],"site_source_ids":[8,9],"active_service_only":true,"balance_due_only":true,
      "billing_contacts_only":true,"without_autopay_only":true})");
  CHECK(filter.division_ids == std::vector<invites::Id>{1, 2});
  CHECK(filter.bill_group_ids == std::vector<invites::Id>{4, 5, 6});
  CHECK(filter.site_source_ids == std::vector<invites::Id>{8, 9});
  CHECK(filter.active_service_only);
  CHECK(filter.balance_due_only);
  CHECK(filter.billing_contacts_only);
  CHECK(filter.without_autopay_only);
  CHECK(invites::filter_from_json(invites::filter_to_json(filter)) == filter);
  CHECK(invites::filter_to_json(Filter{}).size() == 9);
}

TEST_CASE("bad filters name the offending field") {
  CHECK(field_of_error(R"({"divisions":[1]})") == "divisions");
  CHECK(field_of_error(R"({"division_ids":"1"})") == "division_ids");
  CHECK(field_of_error(R"({"division_ids":[1,"2"]})") == "division_ids[1]");
  CHECK(field_of_error(R"({"division_ids":[""]})") == "division_ids[0]");
  CHECK(field_of_error(R"({"account_class_ids":[1,1]})") == "account_class_ids[1]");
  CHECK(field_of_error(R"({"bill_group_ids":[0]})") == "bill_group_ids[0]");
  CHECK(field_of_error(R"({"bill_group_ids":[-3]})") == "bill_group_ids[0]");
  CHECK(field_of_error(R"({"site_source_ids":[1.5]})") == "site_source_ids[0]");
  CHECK(field_of_error(R"({"site_source_ids":[4294967296]})") == "site_source_ids[0]");
  CHECK(field_of_error(R"({"account_source_ids":null})") == "account_source_ids");
  CHECK(field_of_error(R"({"balance_due_only":"yes"})") == "balance_due_only");
  CHECK(field_of_error(R"({"active_service_only":1})") == "active_service_only");
  CHECK(field_of_error(R"([1,2])") == "");
  CHECK(field_of_error(R"({"division_ids":[1)") == "");
  CHECK(field_of_error("") == "");
}

TEST_CASE("error messages say what is wrong") {
  try {
    parse_filter(R"({"division_ids":[7,7]})");
    FAIL("expected a ValidationError");
  } catch (const ValidationError& e) {
    CHECK(std::string(e.what()) == "division_ids[1]: duplicate id 7");
  }
}

TEST_CASE("the path prefixes field names of a nested filter") {
  nlohmann::json body = {{"filter", {{"bill_group_ids", {1, true}}}}};
  try {
    invites::filter_from_json(body["filter"], "filter");
    FAIL("expected a ValidationError");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "filter.bill_group_ids[1]");
  }
}

TEST_CASE("unknown ids are rejected with the field named") {
  invites::KnownIds known;
  known.divisions = {1, 2};
  known.site_sources = {5};
  Filter ok = parse_filter(R"({"division_ids":[2],"site_source_ids":[5]})");
  CHECK_NOTHROW(invites::check_known_ids(ok, known));
  Filter bad = parse_filter(R"({"division_ids":[2],"site_source_ids":[5,6]})");
  try {
    invites::check_known_ids(bad, known, "filter");
    FAIL("expected a ValidationError");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "filter.site_source_ids[1]");
    CHECK(std::string(e.what()).find("unknown id 6") != std::string::npos);
  }
}
