#include <catch2/catch.hpp>

#include <algorithm>

#include "invites/sql_filter.hpp"

using namespace invites;

namespace {
std::size_t placeholders(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '?'));
}
}  // namespace

TEST_CASE("filter values are bound, never spliced into the SQL text") {
  Filter f{.division_ids = {11, 12},
           .account_class_ids = {13},
           .bill_group_ids = {14},
           .account_source_ids = {15},
           .site_source_ids = {16, 17},
           .active_service_only = true,
           .balance_due_only = true,
           .billing_contacts_only = true,
           .without_autopay_only = true};
  for (const SqlQuery& q : {recipients_query(f), skipped_invalid_count_query(f)}) {
    CHECK(placeholders(q.text) == q.params.size());
    for (const char* id : {"11", "12", "13", "14", "15", "16", "17"}) CHECK(q.text.find(id) == std::string::npos);
    CHECK(q.text.find("a.division_id IN (?, ?)") != std::string::npos);
    CHECK(q.text.find("s.site_source_id IN (?, ?)") != std::string::npos);
    CHECK(q.text.find("a.balance > 0") != std::string::npos);
    CHECK(q.text.find("a.autopay = 0") != std::string::npos);
    CHECK(q.text.find("c.is_billing <> 0") != std::string::npos);
    CHECK(q.text.find("v.active <> 0") != std::string::npos);
    // Ids are bound in the order they appear.
    std::vector<std::int64_t> ids;
    for (const auto& p : q.params)
      if (auto v = std::get_if<std::int64_t>(&p); v && *v > 10 && *v < 20) ids.push_back(*v);
    CHECK(ids == std::vector<std::int64_t>{11, 12, 13, 14, 15, 16, 17});
  }
}

TEST_CASE("an empty filter has no filter conditions") {
  SqlQuery q = recipients_query({});
  CHECK(q.text.find(" IN (") == std::string::npos);
  CHECK(q.text.find("EXISTS") == std::string::npos);
  CHECK(placeholders(q.text) == q.params.size());
  CHECK(q.params.size() == 4);  // trim pattern, two lengths, shape pattern
}

TEST_CASE("the shape regex escapes every symbol") {
  const std::string& regex = email_shape_regex();
  CHECK(regex.front() == '^');
  CHECK(regex.back() == '$');
  for (char symbol : std::string("!#$%&'*+/=?^_`{|}~")) {
    std::string escaped = std::string("\\") + symbol;
    INFO(symbol);
    CHECK(regex.find(escaped) != std::string::npos);
  }
}
