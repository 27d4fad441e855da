// The one reader of a recipient page's query (invites/recipient_page_query.hpp),
// used by the server's route and the browser's offline preview: defaults,
// every value it prints parses back, every error names its parameter, and
// page_of() answers a list as the evaluator's page functions do.
#include <map>

#include <catch2/catch.hpp>

#include "invites/error.hpp"
#include "invites/recipient_page_query.hpp"
#include "random_dataset.hpp"

using namespace invites;

namespace {

QueryParam params(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

// The parameter a rejected query names ("" when it was accepted).
std::string rejected_field(std::map<std::string, std::string> values) {
  try {
    parse_recipient_page_query(params(std::move(values)));
  } catch (const ValidationError& e) {
    CHECK(std::string(e.what()).rfind(e.field() + ": must be ", 0) == 0);
    return e.field();
  }
  return "";
}

}  // namespace

TEST_CASE("a recipient page query without parameters asks for the first page of new users by email", "[page_query]") {
  const RecipientPageQuery query = parse_recipient_page_query(params({}));
  CHECK(query.group == CountGroup::new_users);
  CHECK(query.page.sort == SortColumn::email);
  CHECK_FALSE(query.page.descending);
  CHECK(query.page.offset == 0);
  CHECK(query.page.limit == default_page_rows);
  CHECK(query.page.query.empty());
}

TEST_CASE("every group, column and order the app prints parses back", "[page_query]") {
  for (const CountGroup group : all_count_groups) {
    INFO(count_group_name(group));
    CHECK(parse_recipient_page_query(params({{"group", std::string(count_group_name(group))}})).group == group);
  }
  for (const SortColumn column : all_sort_columns) {
    INFO(sort_column_name(column));
    CHECK(parse_recipient_page_query(params({{"sort", std::string(sort_column_name(column))}})).page.sort == column);
  }
  CHECK(parse_recipient_page_query(params({{"order", "desc"}})).page.descending);
  CHECK_FALSE(parse_recipient_page_query(params({{"order", "asc"}})).page.descending);
  const RecipientPageQuery query = parse_recipient_page_query(
      params({{"group", "pending_invites"}, {"offset", "4294967295"}, {"limit", "1000"}, {"q", "O'Brien & Co"}}));
  CHECK(query.page.offset == max_page_offset);
  CHECK(query.page.limit == max_page_rows);
  CHECK(query.page.query == "O'Brien & Co");
  CHECK(parse_recipient_page_query(params({{"limit", "1"}, {"offset", "0"}})).page.limit == 1);
}

TEST_CASE("every rejected value names its parameter", "[page_query]") {
  const std::vector<std::pair<std::string, std::string>> cases{{"group", "everyone"},
                                                               {"group", ""},
                                                               {"group", "New_Users"},
                                                               {"sort", "colour"},
                                                               {"sort", ""},
                                                               {"order", "up"},
                                                               {"order", ""},
                                                               {"order", "DESC"},
                                                               {"offset", "-1"},
                                                               {"offset", "abc"},
                                                               {"offset", ""},
                                                               {"offset", "4294967296"},
                                                               {"offset", "1.5"},
                                                               {"offset", " 1"},
                                                               {"limit", "0"},
                                                               {"limit", "1001"},
                                                               {"limit", "5x"},
                                                               {"limit", "+5"},
                                                               {"limit", "99999999999999999999999"}};
  for (const auto& [name, value] : cases) {
    INFO(name << "=" << value);
    CHECK(rejected_field({{name, value}}) == name);
  }
}

TEST_CASE("the messages list the values a parameter allows", "[page_query]") {
  const auto message = [](const std::string& name, const std::string& value) {
    try {
      parse_recipient_page_query(params({{name, value}}));
    } catch (const ValidationError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message("group", "x") ==
        "group: must be new_users, pending_invites, skipped_invalid_email, excluded_existing or "
        "skipped_suppressed");
  CHECK(message("sort", "x") ==
        "sort: must be email, first_name, last_name, account_number, account_name, contact_id or last_invited_at");
  CHECK(message("order", "x") == "order: must be asc or desc");
  CHECK(message("offset", "x") == "offset: must be an integer from 0 to 4294967295");
  CHECK(message("limit", "x") == "limit: must be an integer from 1 to 1000");
}

TEST_CASE("a page window of any list: offset and limit with their bounds", "[page_query]") {
  const PageWindow window = parse_page_window(params({{"offset", "200"}, {"limit", "50"}}));
  CHECK(window.offset == 200);
  CHECK(window.limit == 50);
  CHECK(parse_page_window(params({})).limit == default_page_rows);
  CHECK(count_param(params({}), "before", 7, 0, 10) == 7);
  CHECK(count_param(params({{"before", "10"}}), "before", 7, 0, 10) == 10);
  try {
    count_param(params({{"before", "11"}}), "before", 7, 0, 10);
    FAIL("accepted a value above the maximum");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "before");
    CHECK(std::string(e.what()) == "before: must be an integer from 0 to 10");
  }
}

TEST_CASE("page_of answers a recipient list or the skipped contacts", "[page_query]") {
  auto data = testing::generate_dataset({.accounts = 300, .seed = 5});
  const Snapshot snapshot = testing::snapshot_of(data);
  const Evaluation evaluation = evaluate(snapshot, {});
  const PortalColumns portal = portal_columns(snapshot);
  const auto same = [](const RecipientPage& a, const RecipientPage& b) {
    REQUIRE(a.total == b.total);
    REQUIRE(a.rows.size() == b.rows.size());
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
      CHECK(a.rows[i].email == b.rows[i].email);
      CHECK(a.rows[i].contact_id == b.rows[i].contact_id);
    }
  };
  for (const CountGroup group : all_count_groups) {
    INFO(count_group_name(group));
    const RecipientPageQuery query = parse_recipient_page_query(params(
        {{"group", std::string(count_group_name(group))}, {"sort", "last_name"}, {"order", "desc"}, {"limit", "40"}}));
    const RecipientPage page = page_of(snapshot, evaluation, query, portal);
    CHECK(page.total == evaluation.counts.of(group));
    PageRequest expected = query.page;
    if (const auto recipients = recipient_group_of(group)) {
      expected.group = *recipients;
      same(page, page_recipients(snapshot, evaluation, expected));
    } else {
      same(page, page_skipped_contacts(snapshot, evaluation, expected));
    }
  }
}
