// Sending end to end over HTTP (docs/design.md §5, §6): Load → Send → every recipient
// gets exactly one well-formed message at a real SMTP server → the link in it
// accepts the invitation → the next Load has moved that address; re-invites
// revoke the old link; and every kind of bad input is refused by name.
#include <future>
#include <latch>
#include <set>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <httplib.h>

#include "db/connection.hpp"
#include "db/statement.hpp"
#include "invites/template.hpp"
#include "repository/delivery_outcomes.hpp"
#include "support/send_stack.hpp"

using namespace invites;
using nlohmann::json;
using testing::Person;

namespace {

// GET/POST on the server's acceptance page (no staff session).
struct Invitee {
  httplib::Client client;
  explicit Invitee(const testing::ServerProcess& server) : client(server.host(), server.port()) {}

  httplib::Result open(const std::string& link) {
    auto result = client.Get(link.substr(link.find("/portal/accept")).c_str());
    REQUIRE(result);
    return result;
  }
  httplib::Result accept(const std::string& link, const std::string& password, const std::string& confirm) {
    const std::string token = link.substr(link.find("token=") + 6);
    auto result = client.Post("/portal/accept",
                              httplib::Params{{"token", token}, {"password", password}, {"password_confirm", confirm}});
    REQUIRE(result);
    return result;
  }
};

std::map<std::string, std::string> links_by_recipient(const testing::SmtpSink& sink) {
  std::map<std::string, std::string> links;
  for (const auto& message : sink.messages()) links[message.rcpt] = testing::invite_link_in(message.raw);
  return links;
}

}  // namespace

TEST_CASE("Load then send then accept: every message once and the next Load moves the address and a re-invite revokes",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), testing::numbered_people(30));
  db::execute(stack.sql(),
              "INSERT INTO portal_users (email, status) VALUES ('user000@example.com', 'invited'),"
              " ('user001@example.com', 'active')");
  stack.start_server({"--smtp-concurrency", "3"});

  const auto preview = stack.load();
  REQUIRE(preview["counts"]["new_users"] == 28);
  REQUIRE(preview["counts"]["pending_invites"] == 1);
  REQUIRE(preview["counts"]["excluded_existing"] == 1);

  const auto job_id = stack.send(preview);
  const auto job = stack.wait_completed(job_id);
  CHECK(job["total"] == 29);
  CHECK(job["sent"] == 29);
  CHECK(job["failed"] == 0);
  CHECK(job["pending"] == 0);

  // Exactly one message per recipient, none to the active user.
  const auto received = stack.received_per_recipient();
  REQUIRE(received.size() == 29);
  for (const auto& [rcpt, count] : received) CHECK(count == 1);
  CHECK(received.count("user001@example.com") == 0);

  std::set<int> connections;
  for (const auto& message : stack.sink().messages()) {
    connections.insert(message.connection);
    const std::string headers = testing::headers_of(message.raw);
    INFO(headers);
    CHECK(message.mail_from == testing::division_sender);
    CHECK(headers.find("From: north@haul.example.com") != std::string::npos);
    CHECK(headers.find("To: ") != std::string::npos);
    CHECK(headers.find(message.rcpt) != std::string::npos);
    CHECK(headers.find("Subject: North: your customer portal invitation") != std::string::npos);
    CHECK(headers.find("Date: ") != std::string::npos);
    CHECK(headers.find("Message-ID: <") != std::string::npos);
    CHECK(headers.find("MIME-Version: 1.0") != std::string::npos);
    CHECK(headers.find("multipart/alternative") != std::string::npos);
    CHECK_FALSE(testing::invite_link_in(message.raw).empty());
  }
  // Connections are reused: at most one per worker.
  CHECK(connections.size() <= 3);

  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM portal_users WHERE status = 'invited'") == 29);
  CHECK(testing::count_rows(
            stack.sql(), "SELECT COUNT(*) FROM portal_invites WHERE accepted_at IS NULL AND revoked_at IS NULL") == 29);

  // The invitee opens the link and sets a password.
  auto links = links_by_recipient(stack.sink());
  Invitee invitee(stack.server());
  const std::string link = links.at("user005@example.com");
  const auto page = invitee.open(link);
  CHECK(page->status == 200);
  CHECK(page->body.find("user005@example.com") != std::string::npos);
  CHECK(page->get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(invitee.accept(link, "long enough password", "different password")->status == 400);
  CHECK(invitee.accept(link, "short", "short")->status == 400);
  // The rule counts characters, not bytes (five 'ä' are 10 bytes), and refuses one
  // character repeated and the common passwords, each saying why.
  for (const auto& [password, reason] :
       {std::pair{"\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4", "too short"},
        std::pair{"aaaaaaaaaa", "one character repeated"}, std::pair{"password123", "most commonly used"}}) {
    INFO(password);
    const auto refused = invitee.accept(link, password, password);
    CHECK(refused->status == 400);
    CHECK(refused->body.find(reason) != std::string::npos);
  }
  const auto accepted = invitee.accept(link, "long enough password", "long enough password");
  CHECK(accepted->status == 200);
  CHECK(accepted->body.find("is active") != std::string::npos);
  CHECK(invitee.accept(link, "long enough password", "long enough password")->status == 409);
  CHECK(invitee.open(link)->status == 409);
  CHECK(invitee.open("/portal/accept?token=not-a-token")->status == 404);
  // An invitation past its expiry date cannot be used.
  const std::string expiring = links.at("user007@example.com");
  db::execute(stack.sql(),
              "UPDATE portal_invites i JOIN portal_users u ON u.id = i.portal_user_id "
              "SET i.expires_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE u.email = 'user007@example.com'");
  const auto expired = invitee.open(expiring);
  CHECK(expired->status == 410);
  CHECK(expired->body.find("expired") != std::string::npos);
  CHECK(invitee.accept(expiring, "long enough password", "long enough password")->status == 410);
  CHECK(
      testing::count_rows(stack.sql(),
                          "SELECT COUNT(*) FROM portal_users WHERE email = 'user005@example.com' AND status = 'active' "
                          "AND password_hash LIKE '$argon2id$%'") == 1);

  // The next Load: everyone invited is pending, the accepted one excluded.
  const auto after = stack.load();
  CHECK(after["counts"]["new_users"] == 0);
  CHECK(after["counts"]["pending_invites"] == 28);
  CHECK(after["counts"]["excluded_existing"] == 2);

  // Re-invite the pending group an hour later: each old link is revoked, the new one works.
  db::execute(stack.sql(), "UPDATE portal_invites SET created_at = created_at - INTERVAL 61 MINUTE");
  const auto again = stack.send(after, {"pending_invites"});
  CHECK(stack.wait_completed(again)["sent"] == 28);
  CHECK(stack.received_per_recipient().at("user006@example.com") == 2);
  const auto replaced = invitee.open(links.at("user006@example.com"));
  CHECK(replaced->status == 410);
  CHECK(replaced->body.find("replaced") != std::string::npos);
  const auto newer = links_by_recipient(stack.sink()).at("user006@example.com");
  CHECK(newer != links.at("user006@example.com"));
  CHECK(invitee.open(newer)->status == 200);
  CHECK(testing::count_rows(
            stack.sql(), "SELECT COUNT(*) FROM portal_invites WHERE accepted_at IS NULL AND revoked_at IS NULL") == 28);

  // Both jobs are listed newest first; the audit log has who did what.
  const auto jobs = stack.get_json("/api/jobs")["jobs"];
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0]["id"] == again);
  CHECK(jobs[0]["created_by"] == "alice");
  CHECK(jobs[1]["sent"] == 29);
  const auto audit = stack.get_json("/api/audit?limit=1000")["entries"];
  std::map<std::string, int> actions;
  for (const auto& entry : audit) ++actions[entry["action"].get<std::string>()];
  INFO(audit.dump());
  CHECK(actions["preview"] == 2);
  CHECK(actions["send"] == 2);
  CHECK(actions["job.completed"] == 2);
  CHECK(actions["session.login"] == 1);
}

TEST_CASE("one job per preview: a second Send of it, with another idempotency key or none, gets the first job",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), testing::numbered_people(5));
  // Pending invitations stay pending when re-invited: Send's check against Load passes again.
  db::execute(stack.sql(), "INSERT INTO portal_users (email, status) SELECT email, 'invited' FROM contacts");
  stack.start_server();
  const auto preview = stack.load();
  REQUIRE(preview["counts"]["pending_invites"] == 5);
  const auto first = stack.send(preview, {"pending_invites"});  // with a fresh key
  CHECK(stack.wait_completed(first)["sent"] == 5);
  CHECK(stack.send(preview, {"pending_invites"}) == first);  // a reopened dialog: another fresh key
  const auto path = "/api/previews/" + preview["preview_id"].get<std::string>() + "/send";
  const auto without_key = stack.post_json(
      path,
      {{"from_email", testing::division_sender}, {"template_id", stack.template_id()}, {"groups", {"pending_invites"}}},
      202);
  CHECK(without_key["job_id"] == first);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 1);
  for (const auto& [rcpt, count] : stack.received_per_recipient()) CHECK(count == 1);
}

TEST_CASE("one job per preview: simultaneous Sends of it without an idempotency key all answer with the one job",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto people = testing::numbered_people(20);
  testing::write_people(stack.sql(), people);
  // Pending invitations stay pending when re-invited, so a Send that comes after the first job
  // passes the check against Load too and must still get that job.
  db::execute(stack.sql(), "INSERT INTO portal_users (email, status) SELECT email, 'invited' FROM contacts");
  stack.start_server();
  const auto preview = stack.load();
  REQUIRE(preview["counts"]["pending_invites"] == 20);
  const std::string path = "/api/previews/" + preview["preview_id"].get<std::string>() + "/send";
  const json request{
      {"from_email", testing::division_sender}, {"template_id", stack.template_id()}, {"groups", {"pending_invites"}}};
  const std::string body = request.dump();
  const auto headers = stack.staff_login().headers();

  // Six clicks at once (a double click, two tabs), each on its own connection, released together.
  constexpr int clicks = 6;
  std::latch start(clicks);
  std::vector<std::future<std::pair<int, std::string>>> answers;
  for (int i = 0; i < clicks; ++i) {
    answers.push_back(std::async(std::launch::async, [&] {
      httplib::Client client(stack.server().host(), stack.server().port());
      client.set_read_timeout(60, 0);
      start.arrive_and_wait();
      const auto result = client.Post(path, headers, body, "application/json");
      return result ? std::pair{result->status, result->body} : std::pair{0, std::string("no answer")};
    }));
  }
  std::set<std::uint64_t> job_ids;
  for (auto& answer : answers) {
    const auto [status, text] = answer.get();
    INFO(text);
    REQUIRE(status == 202);
    job_ids.insert(json::parse(text)["job_id"].get<std::uint64_t>());
  }
  REQUIRE(job_ids.size() == 1);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 1);
  CHECK(stack.wait_completed(*job_ids.begin())["sent"] == 20);
  testing::check_exactly_once(stack, people);
}

TEST_CASE(
    "the outbox holds the chosen groups' recipients in (group, email) order, and a preview sent once is checked again",
    "[mariadb][http][smtp]") {
  testing::SendStack stack;
  testing::write_people(
      stack.sql(),
      {{"zed@example.com"}, {" Mia@Example.com"}, {"kim@example.com"}, {"amy@example.com"}, {"bob@example.com"}});
  db::execute(stack.sql(),
              "INSERT INTO portal_users (email, status) VALUES ('kim@example.com', 'invited'), "
              "('bob@example.com', 'invited')");
  stack.start_server();
  const auto preview = stack.load();
  REQUIRE(preview["counts"]["new_users"] == 3);
  REQUIRE(preview["counts"]["pending_invites"] == 2);
  const auto job = stack.send(preview, {"new_users"});
  CHECK(db::query_column<std::string>(stack.sql(),
                                      "SELECT CONCAT(recipient_group, ' ', email) FROM send_outbox WHERE job_id = ? "
                                      "ORDER BY id",
                                      job) == std::vector<std::string>{"new_users amy@example.com",
                                                                       "new_users mia@example.com",
                                                                       "new_users zed@example.com"});
  CHECK(stack.wait_completed(job)["total"] == 3);
  // Its new users are invited now, so the recipients differ from Load: a
  // second Send of the preview is a 409, and nothing more is written.
  const auto again = stack.post("/api/previews/" + preview["preview_id"].get<std::string>() + "/send",
                                {{"from_email", testing::division_sender},
                                 {"template_id", stack.template_id()},
                                 {"groups", {"new_users", "pending_invites"}}});
  CHECK(again->status == 409);
  CHECK(json::parse(again->body)["counts"]["pending_invites"] == 5);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 1);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_outbox") == 3);
}

TEST_CASE("two jobs for the same addresses: only one mails each, the other reports it skipped, naming the job",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), testing::numbered_people(40));
  stack.start_server({"--smtp-concurrency", "4"});
  const auto first = stack.send(stack.load());
  REQUIRE(stack.wait_completed(first)["sent"] == 40);
  stack.kill_servers();

  // Two Sends of the same filter from two staff members at the same moment
  // both pass Send's check against Load (nobody was invited yet by either):
  // two jobs of the same recipients, as copies of the first one's, both
  // queued when the server starts, so their workers run side by side. The
  // first job's invitations are past the window (an hour ago).
  db::execute(stack.sql(), "UPDATE portal_invites SET created_at = created_at - INTERVAL 61 MINUTE");
  const auto copy_job = [&] {
    db::execute(stack.sql(),
                "INSERT INTO send_jobs (created_by, from_email, template_id, template_json, filter_json, send_groups, "
                "digest, invite_ttl_days, total) SELECT created_by, from_email, template_id, template_json, "
                "filter_json, send_groups, digest, invite_ttl_days, total FROM send_jobs WHERE id = " +
                    std::to_string(first));
    db::execute(stack.sql(),
                "INSERT INTO send_outbox (job_id, email, contact_id, recipient_group) SELECT LAST_INSERT_ID(), email, "
                "contact_id, 'pending_invites' FROM send_outbox WHERE job_id = " +
                    std::to_string(first));
    return testing::count_rows(stack.sql(), "SELECT MAX(id) FROM send_jobs");
  };
  const auto second = copy_job();
  const auto third = copy_job();
  stack.start_server({"--smtp-concurrency", "4"});
  const auto second_job = stack.wait_completed(second);
  const auto third_job = stack.wait_completed(third);

  // Everyone exactly once more, whichever job reached them first.
  const auto received = stack.received_per_recipient();
  CHECK(received.size() == 40);
  for (const auto& [rcpt, count] : received) CHECK(count == 2);
  CHECK(second_job["sent"].get<int>() + third_job["sent"].get<int>() == 40);
  CHECK(second_job["skipped"].get<int>() + third_job["skipped"].get<int>() == 40);
  // Each skipped row says which job invited the address.
  for (const auto& [job, by] : {std::pair{second, third}, std::pair{third, second}}) {
    const auto skipped = stack.get_json("/api/jobs/" + std::to_string(job) + "/recipients?status=skipped&limit=100");
    CHECK(skipped["rows"].size() == stack.get_json("/api/jobs/" + std::to_string(job))["job"]["skipped"]);
    for (const auto& row : skipped["rows"]) {
      CHECK(row["last_error"] == "skipped: invited moments ago by job #" + std::to_string(by));
    }
  }
  CHECK(testing::count_rows(
            stack.sql(), "SELECT COUNT(*) FROM portal_invites WHERE accepted_at IS NULL AND revoked_at IS NULL") == 40);
}

TEST_CASE("an invitation activates only an invited account: not a disabled one, nor an active one's password",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), testing::numbered_people(3));
  stack.start_server();
  const auto job_id = stack.send(stack.load());
  REQUIRE(stack.wait_completed(job_id)["sent"] == 3);
  const auto links = links_by_recipient(stack.sink());

  // Staff disable one account while its link is open; another gets active by other means.
  db::execute(stack.sql(), "UPDATE portal_users SET status = 'disabled' WHERE email = 'user000@example.com'");
  db::execute(stack.sql(),
              "UPDATE portal_users SET status = 'active', password_hash = 'kept' WHERE email = 'user001@example.com'");
  Invitee invitee(stack.server());
  const auto disabled = invitee.open(links.at("user000@example.com"));
  CHECK(disabled->status == 403);
  CHECK(disabled->body.find("disabled") != std::string::npos);
  CHECK(disabled->body.find("<form") == std::string::npos);
  CHECK(invitee.accept(links.at("user000@example.com"), "long enough password", "long enough password")->status == 403);
  const auto active = invitee.accept(links.at("user001@example.com"), "long enough password", "long enough password");
  CHECK(active->status == 409);
  CHECK(active->body.find("already active") != std::string::npos);
  CHECK(invitee.accept(links.at("user002@example.com"), "long enough password", "long enough password")->status == 200);

  CHECK(testing::count_rows(
            stack.sql(),
            "SELECT COUNT(*) FROM portal_users WHERE email = 'user000@example.com' AND status = 'disabled' "
            "AND password_hash IS NULL") == 1);
  CHECK(testing::count_rows(
            stack.sql(),
            "SELECT COUNT(*) FROM portal_users WHERE email = 'user001@example.com' AND password_hash = 'kept'") == 1);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM portal_invites WHERE accepted_at IS NOT NULL") == 1);
}

TEST_CASE("bad input to send, templates and senders is refused and names the problem", "[mariadb][http]") {
  testing::SendStack stack;
  auto people = testing::numbered_people(5);
  people.push_back({"eve@example.com", "Eve\r\nBcc: evil@attacker.example", "Doe\nX-Injected: 1"});
  testing::write_people(stack.sql(), people);
  stack.start_server({"--allowed-senders", "@ok.example,billing@other.example"});
  const auto preview = stack.load();
  const std::string send_path = "/api/previews/" + preview["preview_id"].get<std::string>() + "/send";
  const auto template_id = stack.template_id();
  const auto send_with = [&](json body) {
    if (!body.contains("template_id")) body["template_id"] = template_id;
    if (!body.contains("groups")) body["groups"] = {"new_users"};
    return stack.post(send_path, body);
  };
  const auto error_of = [](const httplib::Result& result) { return json::parse(result->body)["error"]; };
  // A template body refused on save: 400 template_invalid naming the body, the message containing `words`.
  const auto check_body_refused = [&](const httplib::Result& result, const std::string& words) {
    CHECK(result->status == 400);
    CHECK(error_of(result)["code"] == "template_invalid");
    CHECK(error_of(result)["field"] == "body");
    CHECK(error_of(result)["message"].get<std::string>().find(words) != std::string::npos);
  };
  // A Send refused because the recipients differ from Load: 409 with the fresh digest, nothing
  // written; returns the fresh counts.
  const auto refused_as_changed = [&](const httplib::Result& result) {
    INFO(result->body);
    CHECK(result->status == 409);
    const auto body = json::parse(result->body);
    CHECK(body["error"]["code"] == "digest_mismatch");
    CHECK(body["digest"] != preview["digest"]);
    CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 0);
    CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_outbox") == 0);
    return body["counts"];
  };

  SECTION("from address: line breaks, syntax, not allowed") {
    auto result = send_with({{"from_email", "north@haul.example.com\r\nBcc: evil@attacker.example"}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["field"] == "from_email");
    CHECK(error_of(result)["message"].get<std::string>().find("line break") != std::string::npos);
    result = send_with({{"from_email", "not an address"}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["field"] == "from_email");
    result = send_with({{"from_email", "ceo@elsewhere.example"}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["message"].get<std::string>().find("not an allowed sender") != std::string::npos);
    CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 0);
    // Allowed by --allowed-senders (a domain and an address).
    const auto allowed = send_with({{"from_email", "news@ok.example"}});
    REQUIRE(allowed->status == 202);
    // The job changes the recipients' portal status: Load again after it.
    stack.wait_completed(json::parse(allowed->body)["job_id"].get<std::uint64_t>());
    CHECK(stack.post_json(
              "/api/previews/" + stack.load()["preview_id"].get<std::string>() + "/send",
              {{"from_email", "billing@other.example"}, {"template_id", template_id}, {"groups", {"pending_invites"}}},
              202)["job_id"] > 0);
  }
  SECTION("templates: unknown, inactive, broken on save") {
    auto result = send_with({{"from_email", testing::division_sender}, {"template_id", 999}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["field"] == "template_id");
    const auto created = stack.post_json("/api/templates",
                                         {{"name", "Old"},
                                          {"active", false},
                                          {"subject", "Hi"},
                                          {"content_type", "text/plain"},
                                          {"body", "Hello {{contact.first_name}}: {{invite.url}}"}},
                                         201)["template"];
    result = send_with({{"from_email", testing::division_sender}, {"template_id", created["id"]}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["message"].get<std::string>().find("inactive") != std::string::npos);

    // Without the invitation link: refused on save, and (one stored before that rule) on send.
    result = stack.post("/api/templates", {{"name", "No link"},
                                           {"subject", "Hi"},
                                           {"content_type", "text/plain"},
                                           {"body", "Hello {{contact.first_name}}, welcome."}});
    check_body_refused(result, "{{invite.url}}");
    db::execute(stack.sql(), "UPDATE notification_templates SET body = 'Hello {{contact.first_name}}' WHERE id = " +
                                 created["id"].dump() + " OR id = " + std::to_string(template_id));
    result = send_with({{"from_email", testing::division_sender}, {"template_id", template_id}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["code"] == "template_invalid");
    CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 0);

    result = stack.post("/api/templates", {{"name", "Typo"},
                                           {"subject", "Hi"},
                                           {"content_type", "text/plain"},
                                           {"body", "Hello\n{{contact.frist_name}}"}});
    check_body_refused(result, "line 2");
    CHECK(error_of(result)["message"].get<std::string>().find("contact.frist_name") != std::string::npos);
    result = stack.post("/api/templates",
                        {{"name", "Open"}, {"subject", "Hi"}, {"body", "{{#contact.first_name}}never closed"}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["code"] == "template_invalid");
    result = stack.put("/api/templates/" + std::to_string(template_id),
                       {{"name", "Customer portal invitation"}, {"subject", "{{invite.url"}, {"body", "x"}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["field"] == "subject");
  }
  SECTION("groups, unknown keys and a missing preview") {
    auto result = send_with({{"from_email", testing::division_sender}, {"groups", {"excluded_existing"}}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["field"] == "groups");
    result = send_with({{"from_email", testing::division_sender}, {"bcc", "x@y.example"}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["field"] == "bcc");
    result = stack.post("/api/previews/0123456789abcdef0123456789abcdef/send",
                        {{"from_email", testing::division_sender}, {"template_id", template_id}});
    CHECK(result->status == 404);
  }
  SECTION("a double-submitted send makes one job") {
    const json body{{"from_email", testing::division_sender},
                    {"template_id", template_id},
                    {"groups", {"new_users"}},
                    {"idempotency_key", "double-click-1"}};
    const auto first = stack.post_json(send_path, body, 202)["job_id"];
    const auto second = stack.post_json(send_path, body, 202)["job_id"];
    CHECK(first == second);
    CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 1);
    stack.wait_completed(first.get<std::uint64_t>());
    CHECK(stack.sink().messages().size() == 6);
  }
  SECTION("the recipients changed since Load: 409 with the fresh counts, nothing sent") {
    testing::write_people(stack.sql(), {{"late@example.com"}});
    CHECK(refused_as_changed(send_with({{"from_email", testing::division_sender}}))["new_users"] == 7);
  }
  SECTION("an address suppressed since Load: 409 with the fresh counts, the address in the fifth group") {
    // A webhook records a hard bounce of user002 between Load and Send, as the server would.
    repository::record_outcome(stack.sql(),
                               {.email = "user002@example.com",
                                .kind = "hard_bounce",
                                .source = "ses",
                                .status_code = "5.1.1",
                                .diagnostic = "smtp; 550 5.1.1 user unknown",
                                .dedupe_key = "ses:between-load-and-send"},
                               repository::SuppressionRules{});
    const auto counts = refused_as_changed(send_with({{"from_email", testing::division_sender}}));
    CHECK(preview["counts"]["skipped_suppressed"] == 0);
    CHECK(counts["skipped_suppressed"] == 1);
    CHECK(counts["new_users"] == 5);
  }
  SECTION("a change in a mailed group not chosen still differs from Load: 409, nothing written") {
    // The digest covers both mailed groups; the outbox only the chosen one.
    testing::write_people(stack.sql(), {{"pending@example.com"}});
    db::execute(stack.sql(), "INSERT INTO portal_users (email, status) VALUES ('pending@example.com', 'invited')");
    const auto counts =
        refused_as_changed(send_with({{"from_email", testing::division_sender}, {"groups", {"new_users"}}}));
    CHECK(counts["new_users"] == 6);
    CHECK(counts["pending_invites"] == 1);
  }
  SECTION("a chosen group without recipients: 400 naming groups, nothing written") {
    const auto result = send_with({{"from_email", testing::division_sender}, {"groups", {"pending_invites"}}});
    CHECK(result->status == 400);
    CHECK(error_of(result)["code"] == "no_recipients");
    CHECK(error_of(result)["field"] == "groups");
    CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 0);
    CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_outbox") == 0);
  }
  SECTION("line breaks in names never reach a header") {
    stack.wait_completed(stack.send(preview, {"new_users"}));
    bool found = false;
    for (const auto& message : stack.sink().messages()) {
      if (message.rcpt != "eve@example.com") continue;
      found = true;
      const std::string headers = testing::headers_of(message.raw);
      INFO(headers);
      CHECK(headers.find("\r\nBcc:") == std::string::npos);
      CHECK(headers.find("\r\nX-Injected:") == std::string::npos);
      for (std::size_t at = headers.find('\n'); at != std::string::npos; at = headers.find('\n', at + 1)) {
        CHECK(at > 0);
        CHECK(headers[at - 1] == '\r');  // no bare LF
      }
    }
    CHECK(found);
  }
  SECTION("setup needs permission 120") {
    testing::create_staff_user(stack.sql(), "bob", "another long password", {390});
    httplib::Client client(stack.server().host(), stack.server().port());
    const auto bob = testing::login_staff(client, "bob", "another long password");
    const auto result =
        client.Post("/api/templates", bob.headers(), R"({"name":"x","subject":"x","body":"x"})", "application/json");
    REQUIRE(result);
    CHECK(result->status == 403);
    CHECK(client.Get("/api/divisions", bob.headers())->status == 403);
    CHECK(client.Get("/api/templates", bob.headers())->status == 200);
  }
  SECTION("the suppression list and its lift need permission 390") {
    testing::create_staff_user(stack.sql(), "carol", "another long password", {120});
    httplib::Client client(stack.server().host(), stack.server().port());
    const auto carol = testing::login_staff(client, "carol", "another long password");
    for (const char* path : {"/api/suppressions", "/api/suppressions.csv"}) {
      INFO(path);
      const auto result = client.Get(path, carol.headers());
      REQUIRE(result);
      CHECK(result->status == 403);
      CHECK(error_of(result)["code"] == "forbidden");
    }
    const auto lift = client.Post("/api/suppressions/lift", carol.headers(), R"({"email":"user000@example.com"})",
                                  "application/json");
    REQUIRE(lift);
    CHECK(lift->status == 403);
    CHECK(error_of(lift)["code"] == "forbidden");
    CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM audit_log WHERE action = 'suppression.lifted'") == 0);
    CHECK(stack.get("/api/suppressions")->status == 200);  // alice has 390
  }
}

TEST_CASE("division sender addresses are edited in setup and used as allowed senders", "[mariadb][http]") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), testing::numbered_people(2));
  stack.start_server();
  auto divisions = stack.get_json("/api/divisions")["divisions"];
  REQUIRE(divisions.size() == 1);
  CHECK(divisions[0]["default_from_email"] == testing::division_sender);
  auto result = stack.put("/api/divisions/1", {{"default_from_email", "bad\r\naddress@x.example"}});
  CHECK(result->status == 400);
  result = stack.put("/api/divisions/1", {{"default_from_email", "portal@haul.example.com"}});
  INFO(result->body);
  CHECK(result->status == 200);
  CHECK(json::parse(result->body)["division"]["default_from_email"] == "portal@haul.example.com");
  CHECK(json::parse(result->body)["division"]["billing_default_from_email"] == testing::division_sender);
  CHECK(stack.get_json("/api/lookups")["divisions"][0]["default_from_email"] == "portal@haul.example.com");
  // The old address is no longer a division sender; the new one is.
  const auto preview = stack.load();
  const std::string send_path = "/api/previews/" + preview["preview_id"].get<std::string>() + "/send";
  CHECK(
      stack.post(send_path, {{"from_email", testing::division_sender}, {"template_id", stack.template_id()}})->status ==
      400);
  CHECK(stack.post(send_path, {{"from_email", "portal@haul.example.com"}, {"template_id", stack.template_id()}})
            ->status == 202);
  CHECK(stack.put("/api/divisions/99", {{"default_from_email", nullptr}})->status == 404);
}

TEST_CASE("render and test send use the common/ template code", "[mariadb][http][smtp]") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), {{"maria@example.com", "María", "<Ruiz>"}});
  stack.start_server();
  const auto preview = stack.load();
  const auto rendered = stack.post_json("/api/render",
                                        {{"template_id", stack.template_id()},
                                         {"preview_id", preview["preview_id"]},
                                         {"email", "maria@example.com"},
                                         {"from_email", testing::division_sender}},
                                        200);
  CHECK(rendered["recipient"]["first_name"] == "María");
  CHECK(rendered["text_body"].get<std::string>().find("Hello María") != std::string::npos);
  CHECK(rendered["html_body"].get<std::string>().find("Hello María") != std::string::npos);
  const auto example = stack.post_json("/api/render",
                                       {{"template",
                                         {{"subject", "Hi {{contact.last_name}}"},
                                          {"content_type", "text/html"},
                                          {"body", "<p>{{contact.last_name}}</p>"}}}},
                                       200);
  CHECK(example["recipient"].is_null());
  CHECK(example["html_body"] == "<p>" + std::string(invites::example_merge_values().contact_last_name) + "</p>");
  auto result = stack.post("/api/render", {{"template", {{"subject", "x"}, {"body", "{{nope}}"}}}});
  CHECK(result->status == 400);

  const auto sent = stack.post_json("/api/test-send",
                                    {{"template_id", stack.template_id()},
                                     {"from_email", testing::division_sender},
                                     {"to", "me@staff.example"},
                                     {"preview_id", preview["preview_id"]},
                                     {"email", "maria@example.com"}},
                                    200);
  CHECK(sent["delivered"] == true);
  const auto messages = stack.sink().messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].rcpt == "me@staff.example");
  CHECK(testing::headers_of(messages[0].raw).find("Subject: [Test] North: your customer portal invitation") !=
        std::string::npos);
  // A test message's link opens no account.
  Invitee invitee(stack.server());
  CHECK(invitee.open("/portal/accept?token=example-link-for-preview-only")->status == 404);

  result = stack.post("/api/test-send", {{"template_id", stack.template_id()},
                                         {"from_email", testing::division_sender},
                                         {"to", "permfail-me@staff.example"}});
  CHECK(result->status == 502);
  CHECK(json::parse(result->body)["error"]["message"].get<std::string>().find("550") != std::string::npos);
}

TEST_CASE("test sends are limited per user across the servers of one database, with a 429 that says when",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), testing::numbered_people(1));
  const std::vector<std::string> limit{"--test-send-limit", "3"};
  stack.start_server(limit);
  const json body{
      {"template_id", stack.template_id()}, {"from_email", testing::division_sender}, {"to", "me@staff.example"}};
  stack.post_json("/api/test-send", body, 200);
  stack.post_json("/api/test-send", body, 200);
  stack.start_server(limit);  // another server counts against the same budget
  stack.post_json("/api/test-send", body, 200);

  const auto refused = stack.post("/api/test-send", body);
  CHECK(refused->status == 429);
  const int retry_after = std::stoi(refused->get_header_value("Retry-After"));
  CHECK(retry_after > 590);
  CHECK(retry_after <= 600);
  const auto error = json::parse(refused->body)["error"];
  CHECK(error["code"] == "too_many_test_sends");
  const std::string message = error["message"];
  CHECK(message.find("at most 3 every 10 minutes") != std::string::npos);
  CHECK(message.find("The next one is possible at 20") != std::string::npos);
  CHECK(message.find(" UTC (in " + std::to_string(retry_after) + " s)") != std::string::npos);
  CHECK(stack.sink().messages().size() == 3);

  // Per user: another staff member still has a whole budget while alice waits.
  testing::create_staff_user(stack.sql(), "bob", "bob's own passphrase", {390});
  httplib::Client bob_client(stack.server().host(), stack.server().port());
  const auto bob = testing::login_staff(bob_client, "bob", "bob's own passphrase");
  const auto bob_sent = bob_client.Post("/api/test-send", bob.headers(), body.dump(), "application/json");
  REQUIRE(bob_sent);
  CHECK(bob_sent->status == 200);
  CHECK(stack.post("/api/test-send", body)->status == 429);
  CHECK(stack.sink().messages().size() == 4);

  // Bad input is refused before it counts, and once the window is over the budget is whole again.
  CHECK(stack.post("/api/test-send", {{"template_id", stack.template_id()}})->status == 400);
  db::execute(stack.sql(), "UPDATE test_send_quota SET window_started_at = window_started_at - INTERVAL 10 MINUTE");
  stack.post_json("/api/test-send", body, 200);
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT q.sends FROM test_send_quota q JOIN staff_users u ON u.id = q.user_id "
                            "WHERE u.username = 'alice'") == 1);
  CHECK(stack.sink().messages().size() == 5);
}
