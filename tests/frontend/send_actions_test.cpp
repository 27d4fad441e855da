// Email preview, test send, Send Email (confirmation, 409), the live job view
// (polling, pause/resume/cancel/retry-failed, failed recipients) and the list
// of past jobs, against a fake Fetcher.
#include "fake_server.hpp"

#include <catch2/catch.hpp>

using namespace invites;
using namespace invites::app;
using namespace invites::app::testing;

namespace {

const std::string first_new_user = "/api/previews/p-1/recipients?group=new_users&offset=0&limit=1";

json render_json(const std::string& email) {
  return {{"subject", "Your North customer portal"},
          {"text_body", "Hello Maria,\nSet up your account: https://portal/accept?token=x\n"},
          {"html_body", "<p>Hello Maria,</p>"},
          {"recipient",
           {{"email", email},
            {"first_name", "Maria"},
            {"last_name", "Lopez"},
            {"account_number", "A-1"},
            {"account_name", "Lopez Farm"}}}};
}

std::string failed_url(std::size_t offset) {
  return "/api/jobs/42/recipients?status=failed&offset=" + std::to_string(offset) + "&limit=200";
}

// Rows [offset, offset + count) of a failed list of `total`: f<i>@x.example, groups alternating.
json failed_body(std::size_t total, std::size_t offset, std::size_t count) {
  json rows = json::array();
  for (std::size_t i = offset; i < offset + count; ++i) {
    const std::string email = "f" + std::to_string(i) + "@x.example";
    rows.push_back({{"email", email},
                    {"group", i % 2 ? "pending_invites" : "new_users"},
                    {"status", "failed"},
                    {"attempts", i % 3 + 1},
                    {"last_error", "550 5.1.1 <" + email + ">: User unknown"},
                    {"sent_at", nullptr}});
  }
  return {{"total", total}, {"rows", rows}};
}

// The failed-list reads waiting for an answer (the job view also polls and lists jobs).
std::vector<std::string> failed_reads(const FakeServer& server) {
  std::vector<std::string> urls;
  for (const auto& p : server.pending)
    if (p.request.url.find("/recipients?status=failed") != std::string::npos) urls.push_back(p.request.url);
  return urls;
}

struct SendFixture : SignedInFixture {
  SendFixture() {
    sign_in();
    load();
  }

  // Send Email → confirm → 202 with job 42 (running) of 150 recipients, or of sent + failed when more.
  void start_job(std::uint64_t sent = 0, std::uint64_t failed = 0) {
    const std::uint64_t total = std::max<std::uint64_t>(150, sent + failed);
    actions.sending().open_send_dialog();
    actions.sending().confirm_send();
    server.respond("POST", "/api/previews/p-1/send", 202,
                   json{{"job_id", 42}, {"job", job_json(42, "running", sent, failed, total - sent - failed, total)}});
  }
};

}  // namespace

TEST_CASE_METHOD(SendFixture, "email preview: the first recipient of the group, rendered by the server",
                 "[frontend][send][preview]") {
  actions.sending().open_email_preview();
  const EmailPreview& email = state.send.email;
  CHECK(email.open);
  CHECK(email.status == LoadStatus::loading);
  server.respond("GET", first_new_user, 200,
                 json{{"total", 120}, {"rows", {{{"email", "maria@example.com"}, {"first_name", "Maria"}}}}});
  const auto request = server.respond("POST", "/api/render", 200, render_json("maria@example.com"));
  CHECK(json::parse(request.body) == json{{"template_id", 11},
                                          {"from_email", "north@hauler.example"},
                                          {"preview_id", "p-1"},
                                          {"email", "maria@example.com"}});
  CHECK(request.csrf_token == "tok-123");
  CHECK(email.status == LoadStatus::loaded);
  CHECK(email.subject == "Your North customer portal");
  CHECK(email.text_body.find("Set up your account") != std::string::npos);
  REQUIRE(email.recipient);
  CHECK(email.recipient->account_name == "Lopez Farm");

  SECTION("Open HTML hands the HTML body to the platform") {
    actions.sending().open_html_preview();
    CHECK(opened_html == std::vector<std::string>{"<p>Hello Maria,</p>"});
  }
  SECTION("a row picked in the recipient table renders for that recipient") {
    actions.sending().preview_for_recipient("bob@example.com");
    const auto again = server.respond("POST", "/api/render", 200, render_json("bob@example.com"));
    CHECK(json::parse(again.body)["email"] == "bob@example.com");
    CHECK(email.recipient->email == "bob@example.com");
  }
  SECTION("choosing another template re-renders at the next tick") {
    actions.set_template(12);
    actions.sending().tick(0.1);
    const auto again = server.respond("POST", "/api/render", 200, render_json("maria@example.com"));
    CHECK(json::parse(again.body)["template_id"] == 12);
    actions.sending().tick(0.2);
    CHECK(server.pending.empty());
  }
  SECTION("a render error is shown") {
    actions.sending().refresh_email_preview();
    server.respond("POST", "/api/render", 400, error_json("template_invalid", "body line 3: unknown merge field"));
    CHECK(email.status == LoadStatus::failed);
    CHECK(email.error == "body line 3: unknown merge field");
  }
}

TEST_CASE_METHOD(SendFixture, "email preview uses the first row of the open recipient table",
                 "[frontend][send][preview]") {
  actions.open_recipients(CountGroup::pending_invites);
  server.respond("GET", "/api/previews/p-1/recipients?group=pending_invites&sort=email&order=asc&offset=0&limit=200",
                 200, json{{"total", 1}, {"rows", {{{"email", "zed@example.com"}}}}});
  actions.sending().open_email_preview();
  const auto request = server.respond("POST", "/api/render", 200, render_json("zed@example.com"));
  CHECK(json::parse(request.body)["email"] == "zed@example.com");
}

TEST_CASE_METHOD(SignedInFixture, "email preview before any Load renders the example values",
                 "[frontend][send][preview]") {
  sign_in();
  actions.sending().open_email_preview();
  const auto request =
      server.respond("POST", "/api/render", 200,
                     json{{"subject", "S"}, {"text_body", "T"}, {"html_body", ""}, {"recipient", nullptr}});
  CHECK(json::parse(request.body) == json{{"template_id", 11}});
  CHECK(state.send.email.status == LoadStatus::loaded);
  CHECK_FALSE(state.send.email.recipient);
  actions.sending().open_html_preview();  // no HTML: nothing opens
  CHECK(opened_html.empty());
}

TEST_CASE_METHOD(SendFixture, "test send to a typed address", "[frontend][send][test-send]") {
  actions.sending().open_email_preview();
  server.respond("GET", first_new_user, 200, json{{"total", 1}, {"rows", {{{"email", "maria@example.com"}}}}});
  server.respond("POST", "/api/render", 200, render_json("maria@example.com"));
  EmailPreview& email = state.send.email;

  actions.sending().set_test_address("not an address");
  actions.sending().send_test();
  CHECK(email.test_status == LoadStatus::failed);
  CHECK(email.test_message == "Enter a valid address to send the test to.");
  CHECK_FALSE(server.has_pending("POST", "/api/test-send"));

  actions.sending().set_test_address("Me@Example.com");
  CHECK(email.test_message.empty());
  actions.sending().send_test();
  CHECK(email.test_status == LoadStatus::loading);

  SECTION("delivered") {
    const auto request = server.respond("POST", "/api/test-send", 200, json{{"delivered", true}, {"detail", ""}});
    CHECK(json::parse(request.body) == json{{"template_id", 11},
                                            {"from_email", "north@hauler.example"},
                                            {"to", "me@example.com"},
                                            {"preview_id", "p-1"},
                                            {"email", "maria@example.com"}});
    CHECK(request.csrf_token == "tok-123");
    CHECK(email.test_status == LoadStatus::loaded);
    CHECK(email.test_message == "Test delivered to me@example.com.");
  }
  SECTION("refused: the server's reply is shown") {
    server.respond("POST", "/api/test-send", 502,
                   error_json("delivery_failed", "550 5.1.1 <me@example.com>: Recipient address rejected"));
    CHECK(email.test_status == LoadStatus::failed);
    CHECK(email.test_message ==
          "The mail server refused the test: 550 5.1.1 <me@example.com>: Recipient address rejected");
  }
}

TEST_CASE_METHOD(SignedInFixture, "Send Email needs a fresh Load", "[frontend][send]") {
  sign_in();
  actions.sending().open_send_dialog();
  CHECK_FALSE(state.send.confirm.open);
  load();
  actions.set_flag(FlagKind::balance_due, true);  // stale
  actions.sending().open_send_dialog();
  CHECK_FALSE(state.send.confirm.open);
  actions.set_flag(FlagKind::balance_due, false);
  actions.sending().open_send_dialog();
  CHECK(state.send.confirm.open);
}

TEST_CASE_METHOD(SendFixture, "the confirmation dialog: counts, groups, from, template, one key per dialog",
                 "[frontend][send]") {
  actions.sending().open_send_dialog();
  const SendConfirm& confirm = state.send.confirm;
  REQUIRE(confirm.open);
  CHECK(confirm.counts.new_users == 120);
  CHECK(confirm.counts.pending_invites == 30);
  CHECK(confirm.new_users);
  CHECK(confirm.pending_invites);
  CHECK(confirm.from_email == "north@hauler.example");
  CHECK(confirm.template_id == 11);
  CHECK(confirm.template_name == "Standard invitation");
  CHECK(confirm.idempotency_key == "key-1");

  SECTION("only the checked groups are sent, with the dialog's key and the CSRF token") {
    actions.sending().set_send_group(Group::pending_invites, false);
    actions.sending().confirm_send();
    CHECK(confirm.busy);
    actions.sending().confirm_send();  // a double click sends once
    CHECK(server.count_pending("POST", "/api/previews/p-1/send") == 1);
    const auto request = server.respond("POST", "/api/previews/p-1/send", 202,
                                        json{{"job_id", 42}, {"job", job_json(42, "queued", 0, 0, 120, 120)}});
    CHECK(json::parse(request.body) == json{{"from_email", "north@hauler.example"},
                                            {"template_id", 11},
                                            {"groups", {"new_users"}},
                                            {"idempotency_key", "key-1"}});
    CHECK(request.csrf_token == "tok-123");
    CHECK_FALSE(confirm.open);
    CHECK(state.send.tab == MainTab::jobs);
    CHECK(state.send.job.open);
    CHECK(state.send.job.job_id == 42);
    REQUIRE(state.send.job.job);
    CHECK(state.send.job.job->total == 120);
    CHECK(server.has_pending("GET", "/api/jobs/42"));
    CHECK(server.has_pending("GET", "/api/jobs"));
  }
  SECTION("no group checked: nothing is sent") {
    actions.sending().set_send_group(Group::new_users, false);
    actions.sending().set_send_group(Group::pending_invites, false);
    actions.sending().confirm_send();
    CHECK(confirm.error == "Choose at least one group to send to.");
    CHECK(server.pending.empty());
  }
  SECTION("a failed attempt keeps the dialog; the retry reuses the key; a new dialog has a new key") {
    actions.sending().confirm_send();
    server.respond("POST", "/api/previews/p-1/send", 0, std::string());
    CHECK(confirm.open);
    CHECK_FALSE(confirm.busy);
    CHECK(confirm.error == "Server unreachable: network error (Failed to fetch)");
    actions.sending().confirm_send();
    const auto retry = server.respond("POST", "/api/previews/p-1/send", 400,
                                      error_json("invalid_from", "from_email is not an allowed sender"));
    CHECK(json::parse(retry.body)["idempotency_key"] == "key-1");
    CHECK(confirm.error == "from_email is not an allowed sender");
    actions.sending().cancel_send_dialog();
    CHECK_FALSE(confirm.open);
    actions.sending().open_send_dialog();
    CHECK(confirm.idempotency_key == "key-2");
  }
}

TEST_CASE_METHOD(SendFixture, "409 digest mismatch: message, stale preview, Send disabled until Load",
                 "[frontend][send]") {
  actions.sending().open_send_dialog();
  actions.sending().confirm_send();
  server.respond(
      "POST", "/api/previews/p-1/send", 409,
      json{{"error", {{"code", "digest_mismatch"}, {"message", "The recipients changed."}}},
           {"counts",
            {{"new_users", 118}, {"pending_invites", 33}, {"skipped_invalid_email", 4}, {"excluded_existing", 9}}},
           {"digest", "xxh128:11"}});
  CHECK_FALSE(state.send.confirm.open);
  CHECK(state.send.notice ==
        "The recipients changed since Load: 118 new users, 33 pending invites now. Press Load again.");
  CHECK(preview_stale(state));
  CHECK_FALSE(can_send(state));
  actions.sending().open_send_dialog();
  CHECK_FALSE(state.send.confirm.open);

  actions.load_preview();
  server.respond(
      "POST", "/api/previews", 200,
      json{{"preview_id", "p-2"},
           {"counts",
            {{"new_users", 118}, {"pending_invites", 33}, {"skipped_invalid_email", 4}, {"excluded_existing", 9}}},
           {"digest", "xxh128:11"},
           {"generated_at", "2026-11-26T12:40:00Z"}});
  CHECK_FALSE(preview_stale(state));
  CHECK(can_send(state));
}

TEST_CASE_METHOD(SendFixture, "the job view polls about once a second while the job runs, then stops",
                 "[frontend][jobs]") {
  actions.sending().tick(100.0);
  start_job();
  server.respond("GET", "/api/jobs", 200, json{{"jobs", {job_json(42, "running", 0, 0, 150)}}});
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job_json(42, "running", 10, 0, 140)}});
  CHECK(state.send.job.job->sent == 10);
  CHECK(state.send.jobs.jobs.at(0).sent == 10);  // the list row follows the polled job

  actions.sending().tick(100.5);
  CHECK_FALSE(server.has_pending("GET", "/api/jobs/42"));
  actions.sending().tick(101.0);
  REQUIRE(server.has_pending("GET", "/api/jobs/42"));
  actions.sending().tick(101.2);  // one poll at a time
  CHECK(server.count_pending("GET", "/api/jobs/42") == 1);
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job_json(42, "running", 100, 0, 50)}});
  const Job& job = *state.send.job.job;
  CHECK(job.sent == 100);
  CHECK(job.pending == 50);
  CHECK(job.rate_per_second == Approx(10.5));
  REQUIRE(job.eta_seconds);
  CHECK(*job.eta_seconds == 5);

  actions.sending().tick(102.3);
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job_json(42, "completed", 150, 0, 0)}});
  CHECK(state.send.job.job->status == JobStatus::completed);
  CHECK_FALSE(state.send.job.job->eta_seconds);
  for (double t = 103; t < 110; t += 0.5) actions.sending().tick(t);
  CHECK(server.pending.empty());  // nothing runs: no requests, the page can idle
}

TEST_CASE_METHOD(SendFixture, "failed recipients: all of them, read in blocks as the table scrolls",
                 "[frontend][jobs]") {
  actions.sending().tick(0.0);
  start_job(0, 450);
  const JobView& view = state.send.job;
  CHECK(view.failed_status == LoadStatus::loading);
  REQUIRE(server.has_pending("GET", failed_url(0)));
  server.respond("GET", failed_url(0), 200, failed_body(450, 0, 200));
  CHECK(view.failed_status == LoadStatus::loaded);
  CHECK(view.failed_total == 450);
  CHECK(view.failed_rows.loaded_rows() == 200);
  REQUIRE(view.failed_rows.row(1) != nullptr);
  CHECK(view.failed_rows.row(1)->email == "f1@x.example");
  CHECK(view.failed_rows.row(1)->group == Group::pending_invites);
  CHECK(view.failed_rows.row(1)->attempts == 2);
  CHECK(view.failed_rows.row(1)->last_error == "550 5.1.1 <f1@x.example>: User unknown");
  CHECK(view.failed_rows.row(200) == nullptr);

  // Scrolling: the table asks for the rows on screen; only their missing blocks are read.
  actions.sending().need_failed_rows(180, 215);
  CHECK_FALSE(server.has_pending("GET", failed_url(0)));
  server.respond("GET", failed_url(200), 200, failed_body(450, 200, 200));
  actions.sending().need_failed_rows(430, 460);  // past the end: clamped to the list
  server.respond("GET", failed_url(400), 200, failed_body(450, 400, 50));
  REQUIRE(view.failed_rows.row(449) != nullptr);
  CHECK(view.failed_rows.row(449)->email == "f449@x.example");
  CHECK(view.failed_rows.loaded_rows() == 450);
  actions.sending().need_failed_rows(0, 449);
  CHECK(failed_reads(server).empty());  // everything is current: nothing asked again

  SECTION("more failures: the rows stay shown and the blocks on screen are read again") {
    actions.sending().tick(1.5);
    server.respond("GET", "/api/jobs/42", 200, json{{"job", job_json(42, "running", 0, 451, 0, 451)}});
    CHECK(failed_reads(server).empty());  // nothing until the table asks
    REQUIRE(view.failed_rows.row(5) != nullptr);
    actions.sending().need_failed_rows(0, 20);
    server.respond("GET", failed_url(0), 200, failed_body(451, 0, 200));
    CHECK(view.failed_total == 451);
    actions.sending().need_failed_rows(0, 20);
    CHECK(failed_reads(server).empty());

    // A failed read stops asking until Reload; the rows read before stay.
    actions.sending().need_failed_rows(400, 450);
    server.respond("GET", failed_url(400), 500, json{{"error", {{"code", "internal"}, {"message", "database down"}}}});
    CHECK(view.failed_status == LoadStatus::failed);
    CHECK(view.error.find("database down") != std::string::npos);
    CHECK(view.failed_rows.row(449) != nullptr);
    actions.sending().need_failed_rows(400, 450);
    CHECK(failed_reads(server).empty());
    actions.sending().reload_failed_rows();
    CHECK(view.failed_rows.loaded_rows() == 0);
    server.respond("GET", failed_url(0), 200, failed_body(451, 0, 200));
    CHECK(view.failed_status == LoadStatus::loaded);
  }

  SECTION("retry failed: POST, then the list is empty for the new count") {
    actions.sending().retry_failed();
    const auto request = server.respond("POST", "/api/jobs/42/retry-failed", 200,
                                        json{{"job", job_json(42, "running", 0, 0, 450, 450)}});
    CHECK(request.csrf_token == "tok-123");
    CHECK(view.failed_rows.loaded_rows() == 0);
    CHECK(view.failed_total == 0);
    CHECK(view.job->failed == 0);
  }
}

TEST_CASE_METHOD(SendFixture, "skipped recipients: listed with the reason, read again when their count changes",
                 "[frontend][jobs]") {
  const std::string skipped_url = "/api/jobs/42/recipients?status=skipped&offset=0&limit=200";
  actions.sending().tick(100.0);
  start_job();
  server.respond("GET", "/api/jobs", 200, json{{"jobs", {job_json(42, "running", 0, 0, 150)}}});
  CHECK_FALSE(server.has_pending("GET", skipped_url));  // none skipped: nothing to read
  json job = job_json(42, "running", 10, 0, 138);
  job["skipped"] = 2;
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job}});
  REQUIRE(server.has_pending("GET", skipped_url));
  const JobView& view = state.send.job;
  CHECK(view.skipped_rows.empty());
  json rows = json::array();
  for (const char* email : {"a@x.example", "b@x.example"}) {
    rows.push_back({{"email", email},
                    {"group", "pending_invites"},
                    {"status", "skipped"},
                    {"attempts", 0},
                    {"last_error", "skipped: invited moments ago by job #41"},
                    {"sent_at", nullptr}});
  }
  server.respond("GET", skipped_url, 200, json{{"total", 2}, {"rows", rows}});
  CHECK(view.skipped_status == LoadStatus::loaded);
  CHECK(view.skipped_total == 2);
  REQUIRE(view.skipped_rows.size() == 2);
  CHECK(view.skipped_rows[1].email == "b@x.example");
  CHECK(view.skipped_rows[1].group == Group::pending_invites);
  CHECK(view.skipped_rows[1].last_error == "skipped: invited moments ago by job #41");

  // The same count: the list stays; a new one: read again.
  actions.sending().tick(101.0);
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job}});
  CHECK_FALSE(server.has_pending("GET", skipped_url));
  job["skipped"] = 3;
  actions.sending().tick(102.0);
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job}});
  CHECK(server.has_pending("GET", skipped_url));
  CHECK(view.skipped_rows.size() == 2);  // shown until the new answer
}

TEST_CASE_METHOD(SendFixture, "failed recipients: 100,000 of them scroll through with bounded memory",
                 "[frontend][jobs]") {
  actions.sending().tick(0.0);
  start_job(0, 100000);
  server.respond("GET", failed_url(0), 200, failed_body(100000, 0, 200));
  const JobView& view = state.send.job;
  CHECK(view.failed_total == 100000);
  // Scroll from top to bottom a screen (30 rows) at a time, answering as the server would.
  for (std::size_t first = 0; first < 100000; first += 30) {
    actions.sending().need_failed_rows(first, first + 29);
    for (const std::string& url : failed_reads(server)) {
      const std::size_t offset = std::stoul(url.substr(url.find("offset=") + 7));
      server.respond("GET", url, 200, failed_body(100000, offset, std::min<std::size_t>(200, 100000 - offset)));
    }
    REQUIRE(view.failed_rows.row(first) != nullptr);
  }
  CHECK(view.failed_rows.row(99999)->email == "f99999@x.example");
  CHECK(view.failed_rows.loaded_rows() <= 64 * failed_block_rows);  // far blocks were forgotten
  CHECK(view.failed_rows.row(0) == nullptr);
}

TEST_CASE_METHOD(SendFixture, "pause, resume and cancel", "[frontend][jobs]") {
  actions.sending().tick(0.0);
  start_job();
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job_json(42, "running", 10, 0, 140)}});

  actions.sending().pause_job();
  CHECK(state.send.job.command == "pause");
  actions.sending().resume_job();  // one command at a time
  CHECK_FALSE(server.has_pending("POST", "/api/jobs/42/resume"));
  actions.sending().tick(5.0);  // no poll while a command runs
  CHECK_FALSE(server.has_pending("GET", "/api/jobs/42"));
  const auto pause =
      server.respond("POST", "/api/jobs/42/pause", 200, json{{"job", job_json(42, "paused", 12, 0, 138)}});
  CHECK(pause.csrf_token == "tok-123");
  CHECK(state.send.job.command.empty());
  CHECK(state.send.job.job->status == JobStatus::paused);
  for (double t = 6; t < 12; t += 0.5) actions.sending().tick(t);
  CHECK_FALSE(server.has_pending("GET", "/api/jobs/42"));  // paused: no polling

  actions.sending().resume_job();
  server.respond("POST", "/api/jobs/42/resume", 200, json{{"job", job_json(42, "running", 12, 0, 138)}});
  actions.sending().tick(13.5);
  CHECK(server.has_pending("GET", "/api/jobs/42"));
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job_json(42, "running", 20, 0, 130)}});

  actions.sending().cancel_job();
  server.respond("POST", "/api/jobs/42/cancel", 409, error_json("job_finished", "The job has already finished."));
  CHECK(state.send.job.error == "The job has already finished.");
  actions.sending().cancel_job();
  server.respond("POST", "/api/jobs/42/cancel", 200, json{{"job", job_json(42, "cancelled", 20, 0, 130)}});
  CHECK(state.send.job.job->status == JobStatus::cancelled);
  CHECK(state.send.job.error.empty());  // a new command clears the old problem
}

TEST_CASE_METHOD(SendFixture, "the list of past jobs opens a job view", "[frontend][jobs]") {
  actions.sending().show_tab(MainTab::jobs);
  CHECK(state.send.tab == MainTab::jobs);
  CHECK(state.send.jobs.status == LoadStatus::loading);
  server.respond("GET", "/api/jobs", 200,
                 json{{"jobs", {job_json(9, "completed", 150, 0, 0), job_json(8, "cancelled", 3, 1, 146)}}});
  REQUIRE(state.send.jobs.jobs.size() == 2);
  CHECK(state.send.jobs.jobs[0].id == 9);
  CHECK(state.send.jobs.jobs[1].status == JobStatus::cancelled);

  actions.sending().open_job(8);
  CHECK(state.send.job.open);
  REQUIRE(state.send.job.job);  // the list's numbers at once
  CHECK(state.send.job.job->status == JobStatus::cancelled);
  server.respond("GET", "/api/jobs/8", 200, json{{"job", job_json(8, "cancelled", 3, 1, 146)}});
  CHECK(state.send.job.status == LoadStatus::loaded);
  actions.sending().close_job();
  CHECK_FALSE(state.send.job.open);

  SECTION("a failing list is shown") {
    actions.sending().load_jobs();
    server.respond("GET", "/api/jobs", 500, error_json("internal", "Database unavailable"));
    CHECK(state.send.jobs.status == LoadStatus::failed);
    CHECK(state.send.jobs.error == "Database unavailable");
  }
}

TEST_CASE_METHOD(SendFixture, "a 401 while polling ends the session; sign-in starts clean", "[frontend][jobs]") {
  actions.sending().tick(0.0);
  start_job();
  server.respond("GET", "/api/jobs/42", 401, error_json("unauthenticated", "Session expired"));
  CHECK(state.screen == Screen::login);
  CHECK(state.login.notice == session_expired_message);
  CHECK_FALSE(state.send.job.open);
  CHECK(state.send.tab == MainTab::invites);
  server.respond("GET", "/api/jobs", 200, json{{"jobs", json::array()}});  // dropped: another session
  CHECK(state.send.jobs.jobs.empty());
}

TEST_CASE("job helpers", "[frontend][jobs]") {
  CHECK(format_duration(45) == "45 s");
  CHECK(format_duration(200) == "3 min 20 s");
  CHECK(format_duration(7500) == "2 h 05 min");
  CHECK(format_duration(-3) == "0 s");
  CHECK(digest_mismatch_message(1, 2) ==
        "The recipients changed since Load: 1 new users, 2 pending invites now. Press Load again.");
  CHECK_FALSE(parse_job(json{{"id", 0}, {"status", "running"}}));
  CHECK_FALSE(parse_job(json::array()));
  Job job;
  job.status = JobStatus::paused;
  CHECK_FALSE(job_active(job));
  job.status = JobStatus::queued;
  CHECK(job_active(job));
}

TEST_CASE_METHOD(SignedInFixture, "lookups without templates: the active ones come from GET /api/templates",
                 "[frontend][send][lookups]") {
  actions.start();
  server.respond("GET", "/healthz", 200, std::string("ok"));
  server.respond("GET", "/api/me", 200,
                 json{{"user", {{"id", 7}, {"username", "alice"}}}, {"permissions", {390}}, {"csrf_token", "t"}});
  server.respond("GET", "/api/lookups", 200,
                 json{{"divisions", json::array()},
                      {"account_classes", json::array()},
                      {"bill_groups", json::array()},
                      {"account_sources", json::array()},
                      {"site_sources", json::array()}});
  CHECK(state.lookups.templates.empty());
  CHECK_FALSE(server.has_pending("GET", "/api/templates"));  // asked for at the next tick
  actions.sending().tick(1.0);
  actions.sending().tick(1.1);
  CHECK(server.count_pending("GET", "/api/templates") == 1);
  server.respond(
      "GET", "/api/templates", 200,
      json{{"templates",
            {{{"id", 3}, {"name", "Old"}, {"active", false}}, {{"id", 5}, {"name", "Invitation"}, {"active", true}}}},
           {"merge_fields", json::array()}});
  REQUIRE(state.lookups.templates.size() == 1);
  CHECK(state.lookups.templates[0].name == "Invitation");
  CHECK(state.form.template_id == std::optional<Id>(5));
}

TEST_CASE_METHOD(SendFixture, "the past-jobs list refreshes while a listed job runs, and only then",
                 "[frontend][jobs]") {
  actions.sending().tick(10.0);
  actions.sending().show_tab(MainTab::jobs);
  server.respond("GET", "/api/jobs", 200, json{{"jobs", {job_json(7, "running", 5, 0, 145)}}});
  actions.sending().tick(11.0);
  CHECK_FALSE(server.has_pending("GET", "/api/jobs"));
  actions.sending().tick(13.1);
  REQUIRE(server.has_pending("GET", "/api/jobs"));
  server.respond("GET", "/api/jobs", 200, json{{"jobs", {job_json(7, "completed", 150, 0, 0)}}});
  for (double t = 14; t < 30; t += 1) actions.sending().tick(t);
  CHECK(server.pending.empty());

  SECTION("another tab: no refresh") {
    actions.sending().show_tab(MainTab::invites);
    state.send.jobs.jobs.at(0).status = JobStatus::running;
    for (double t = 30; t < 40; t += 1) actions.sending().tick(t);
    CHECK(server.pending.empty());
  }
}

TEST_CASE_METHOD(SignedInFixture, "open_html_document hands any HTML to the platform", "[frontend][send]") {
  actions.sending().open_html_document("<p>x</p>");
  actions.sending().open_html_document("");
  CHECK(opened_html == std::vector<std::string>{"<p>x</p>"});
}

TEST_CASE_METHOD(SendFixture, "a job that is gone (404) stops the polling with a message", "[frontend][jobs]") {
  actions.sending().tick(0.0);
  actions.sending().open_job(77);
  server.respond("GET", "/api/jobs/77", 404, error_json("not_found", "No job 77."));
  CHECK(state.send.job.status == LoadStatus::failed);
  CHECK(state.send.job.error == "No job 77.");
  for (double t = 1; t < 10; t += 0.5) actions.sending().tick(t);
  CHECK(server.pending.empty());
}

TEST_CASE_METHOD(SendFixture, "a failed poll is retried after a pause", "[frontend][jobs]") {
  actions.sending().tick(0.0);
  start_job();
  server.respond("GET", "/api/jobs", 200, json{{"jobs", json::array()}});
  server.respond("GET", "/api/jobs/42", 0, std::string());
  CHECK(state.send.job.error == "Server unreachable: network error (Failed to fetch)");
  actions.sending().tick(2.0);
  CHECK_FALSE(server.has_pending("GET", "/api/jobs/42"));
  actions.sending().tick(3.1);
  REQUIRE(server.has_pending("GET", "/api/jobs/42"));
  server.respond("GET", "/api/jobs/42", 200, json{{"job", job_json(42, "running", 50, 0, 100)}});
  CHECK(state.send.job.error.empty());
  CHECK(state.send.job.job->sent == 50);
}
