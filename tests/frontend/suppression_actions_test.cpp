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

// GET /api/jobs/{id} of a completed job of `sent` messages with these outcomes (rates of `sent`).
json job_with_outcomes(std::uint64_t id, std::uint64_t sent, std::uint64_t hard, std::uint64_t soft,
                       std::uint64_t complained) {
  const auto rate = [&](std::uint64_t n) { return static_cast<double>(n) / static_cast<double>(sent); };
  return json{{"job", {{"id", id}, {"status", "completed"}, {"total", sent}, {"sent", sent}, {"failed", 0}}},
              {"outcomes",
               {{"delivered", sent - hard - soft},
                {"bounced_hard", hard},
                {"bounced_soft", soft},
                {"complained", complained},
                {"bounce_rate", rate(hard + soft)},
                {"complaint_rate", rate(complained)},
                {"thresholds",
                 {{"bounce_rate_review", 0.05}, {"complaint_rate_review", 0.001}, {"complaint_rate_limit", 0.003}}}}}};
}

// A row of a job's bounced or complained list: a sent message and what came back.
json outcome_row(const std::string& email, const std::string& outcome, const std::string& diagnostic) {
  return {{"email", email}, {"group", "new_users"}, {"status", "sent"},
          {"attempts", 1},  {"outcome", outcome},   {"outcome_diagnostic", diagnostic}};
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
  f.server.respond("GET", "/api/jobs/5", 200, job_with_outcomes(5, 3, 1, 1, 0));
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
                         {outcome_row("gone@x.example", "hard_bounce", "smtp; 550 5.1.1 user unknown"),
                          outcome_row("full@x.example", "soft_bounce", "smtp; 452 4.2.2 mailbox full")}}});
  CHECK(view.failed_total == 2);
  REQUIRE(view.failed_rows.row(0));
  CHECK(view.failed_rows.row(0)->outcome_diagnostic == "smtp; 550 5.1.1 user unknown");
  // Bounces come after sending: the user asks for the outcomes again.
  f.actions.sending().refresh_job();
  CHECK(f.server.has_pending("GET", "/api/jobs/5"));
}

TEST_CASE(
    "the complained list is read again when a refresh brings a new complaint, and its rate comes with the thresholds",
    "[frontend][send]") {
  SignedInFixture f;
  f.sign_in();
  f.actions.sending().open_job(6);
  f.server.respond("GET", "/api/jobs/6", 200, job_with_outcomes(6, 400, 0, 0, 0));
  const JobView& view = f.state.send.job;
  f.actions.sending().show_job_list(JobRecipientList::complained);
  const std::string url = "/api/jobs/6/recipients?status=complained&offset=0&limit=200";
  // No complaint yet: the list chosen is read, and empty.
  f.server.respond("GET", url, 200, json{{"total", 0}, {"rows", json::array()}});
  CHECK(view.failed_total == 0);
  CHECK_FALSE(f.server.has_pending("GET", url));

  // A webhook recorded a complaint since: the refreshed outcomes read the list.
  f.actions.sending().refresh_job();
  f.server.respond("GET", "/api/jobs/6", 200, job_with_outcomes(6, 400, 0, 0, 2));
  REQUIRE(view.outcomes.has_value());
  CHECK(view.outcomes->complained == 2);
  CHECK(view.outcomes->complaint_rate == 0.005);  // past both thresholds the job view compares it with
  CHECK(view.outcomes->complaint_rate_review == 0.001);
  CHECK(view.outcomes->complaint_rate_limit == 0.003);
  REQUIRE(f.server.has_pending("GET", url));
  f.server.respond("GET", url, 200,
                   json{{"total", 2},
                        {"rows",
                         {outcome_row("angry@x.example", "complaint", "complaint (abuse) reported through Amazon SES"),
                          outcome_row("annoyed@x.example", "complaint",
                                      "SpamComplaint: The subscriber explicitly marked this message as spam.")}}});
  CHECK(view.failed_total == 2);
  REQUIRE(view.failed_rows.row(1));
  CHECK(view.failed_rows.row(1)->outcome == "complaint");
  CHECK(view.failed_rows.row(1)->email == "annoyed@x.example");
}
