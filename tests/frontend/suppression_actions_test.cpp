// The suppression list's actions (docs/design.md §11, permission 390): listing,
// searching and paging suppressed addresses with their contacts, the CSV
// export, and lifting after confirmation; and the job view's delivery
// outcomes with the bounced and complained lists.
#include "fake_server.hpp"

#include <catch2/catch.hpp>

using namespace invites;
using namespace invites::app;
using namespace invites::app::testing;

namespace {

const std::string first_page = "/api/suppressions?q=&include_lifted=false&offset=0&limit=50";

json suppression(const std::string& email) {
  return {{"email", email},
          {"reason", "hard_bounce"},
          {"suppressed_at", "2026-12-06T01:02:03Z"},
          {"lifted_at", nullptr},
          {"lifted_by", nullptr},
          {"last_outcome",
           {{"kind", "hard_bounce"},
            {"source", "mailbox"},
            {"status", "5.1.1"},
            {"diagnostic", "smtp; 550 5.1.1 user unknown"},
            {"at", "2026-12-06T01:02:03Z"}}},
          {"contacts",
           {{{"contact_id", 12},
             {"first_name", "Jane"},
             {"last_name", "Doe"},
             {"account_number", "A12"},
             {"account_name", "Doe Hauling"}}}}};
}

struct SuppressionFixture : SignedInFixture {
  std::vector<std::string> opened;
  SuppressionActions suppressions{state,
                                  [this](app::FetchRequest request, app::FetchCallback done) {
                                    server.fetcher()(std::move(request), std::move(done));
                                  },
                                  [this](const std::string& url) { opened.push_back(url); }};
  SuppressionFixture() { sign_in(); }
};

}  // namespace

TEST_CASE("the suppression list reads its first page once, with contacts and the last outcome",
          "[frontend][suppressions]") {
  SuppressionFixture f;
  f.suppressions.open();
  f.suppressions.open();  // opening the tab again asks nothing new
  CHECK(f.server.count_pending("GET", first_page) == 1);
  CHECK(f.state.suppressions.status == LoadStatus::loading);
  f.server.respond("GET", first_page, 200, json{{"total", 1}, {"rows", {suppression("gone@customer.example")}}});
  const SuppressionList& list = f.state.suppressions;
  REQUIRE(list.status == LoadStatus::loaded);
  REQUIRE(list.rows.size() == 1);
  CHECK(list.rows[0].email == "gone@customer.example");
  CHECK(suppression_reason_caption(list.rows[0].reason) == std::string("Hard bounce"));
  CHECK(list.rows[0].last_status == "5.1.1");
  CHECK(list.rows[0].last_diagnostic == "smtp; 550 5.1.1 user unknown");
  REQUIRE(list.rows[0].contacts.size() == 1);
  CHECK(list.rows[0].contacts[0].account_number == "A12");
}

TEST_CASE("search, lifted ones and pages change the query and an older answer is dropped", "[frontend][suppressions]") {
  SuppressionFixture f;
  f.suppressions.open();
  f.suppressions.set_search("Gone @x");
  f.suppressions.set_include_lifted(true);
  const std::string query = "/api/suppressions?q=Gone%20%40x&include_lifted=true&offset=0&limit=50";
  REQUIRE(f.server.has_pending("GET", query));
  f.server.respond("GET", first_page, 200, json{{"total", 9}, {"rows", json::array()}});  // too late: dropped
  CHECK(f.state.suppressions.status == LoadStatus::loading);
  f.server.respond("GET", query, 200, json{{"total", 120}, {"rows", {suppression("a@x.example")}}});
  CHECK(f.state.suppressions.total == 120);
  f.suppressions.next_page();
  CHECK(f.server.has_pending("GET", "/api/suppressions?q=Gone%20%40x&include_lifted=true&offset=50&limit=50"));
  f.suppressions.export_csv();
  CHECK(f.opened == std::vector<std::string>{"/api/suppressions.csv?q=Gone%20%40x&include_lifted=true"});
}

TEST_CASE("a lift needs confirmation, is posted, announced and the page read again", "[frontend][suppressions]") {
  SuppressionFixture f;
  f.suppressions.open();
  f.server.respond("GET", first_page, 200, json{{"total", 1}, {"rows", {suppression("gone@customer.example")}}});
  f.suppressions.ask_lift("gone@customer.example");
  CHECK(f.state.suppressions.confirm_lift == "gone@customer.example");
  f.suppressions.cancel_lift();
  CHECK_FALSE(f.state.suppressions.confirm_lift.has_value());
  CHECK_FALSE(f.server.has_pending("POST", "/api/suppressions/lift"));

  f.suppressions.ask_lift("gone@customer.example");
  f.suppressions.confirm_lift();
  CHECK(f.state.suppressions.lifting == "gone@customer.example");
  const auto request = f.server.respond("POST", "/api/suppressions/lift", 200,
                                        json{{"email", "gone@customer.example"}, {"lifted", true}});
  CHECK(json::parse(request.body) == json{{"email", "gone@customer.example"}});
  CHECK(f.state.suppressions.notice == "Lifted the suppression of gone@customer.example: it will be invited again.");
  CHECK(f.server.has_pending("GET", first_page));

  // A refused lift says why.
  f.suppressions.ask_lift("other@customer.example");
  f.suppressions.confirm_lift();
  f.server.respond("POST", "/api/suppressions/lift", 404,
                   error_json("not_found", "\"other@customer.example\" is not suppressed"));
  CHECK(f.state.suppressions.notice == "\"other@customer.example\" is not suppressed");
}

TEST_CASE("the job view shows delivery outcomes and lists bounced recipients with the diagnostic", "[frontend][send]") {
  SignedInFixture f;
  f.sign_in();
  f.actions.sending().open_job(5);
  const json job = {{"id", 5}, {"status", "completed"}, {"total", 3}, {"sent", 3}, {"failed", 0}, {"pending", 0}};
  f.server.respond(
      "GET", "/api/jobs/5", 200,
      json{{"job", job},
           {"outcomes",
            {{"delivered", 1},
             {"bounced_hard", 1},
             {"bounced_soft", 1},
             {"complained", 0},
             {"bounce_rate", 0.6667},
             {"complaint_rate", 0.0},
             {"thresholds",
              {{"bounce_rate_review", 0.05}, {"complaint_rate_review", 0.001}, {"complaint_rate_limit", 0.003}}}}}});
  const JobView& view = f.state.send.job;
  REQUIRE(view.outcomes.has_value());
  CHECK(view.outcomes->bounced_hard == 1);
  CHECK(view.outcomes->bounce_rate_review == 0.05);
  f.actions.sending().show_job_list(JobRecipientList::bounced);
  const std::string url = "/api/jobs/5/recipients?status=bounced&offset=0&limit=200";
  REQUIRE(f.server.has_pending("GET", url));
  f.server.respond("GET", url, 200,
                   json{{"total", 2},
                        {"rows",
                         {{{"email", "gone@x.example"},
                           {"group", "new_users"},
                           {"status", "sent"},
                           {"attempts", 1},
                           {"outcome", "hard_bounce"},
                           {"outcome_diagnostic", "smtp; 550 5.1.1 user unknown"}},
                          {{"email", "full@x.example"},
                           {"group", "new_users"},
                           {"status", "sent"},
                           {"attempts", 1},
                           {"outcome", "soft_bounce"},
                           {"outcome_diagnostic", "smtp; 452 4.2.2 mailbox full"}}}}});
  CHECK(view.failed_total == 2);
  REQUIRE(view.failed_rows.row(0));
  CHECK(view.failed_rows.row(0)->outcome_diagnostic == "smtp; 550 5.1.1 user unknown");
  // Bounces come after sending: the user asks for the outcomes again.
  f.actions.sending().refresh_job();
  CHECK(f.server.has_pending("GET", "/api/jobs/5"));
}
