// Issue 14 end to end: invitations go out through a real Postfix relay with
// VERP envelope senders; the sink behind it refuses some recipients after
// Postfix queued the messages, so Postfix writes real DSNs to those
// envelope senders, into a Dovecot mailbox that the server polls over
// IMAP. The outcomes are recorded once and suppress the addresses, also
// with two servers polling the same mailbox; a 5xx at SMTP time counts too.
#include <chrono>
#include <functional>
#include <thread>

#include <catch2/catch.hpp>

#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "invites/evaluator.hpp"
#include "invites/snapshot_codec.hpp"
#include "mail/imap_mailbox.hpp"
#include "mail/transport.hpp"
#include "repository/inbound_claims.hpp"
#include "service/bounce_poller.hpp"
#include "support/bounce_relay.hpp"
#include "support/send_stack.hpp"

using namespace invites;

namespace {

bool wait_for_count(sql::Connection& connection, const std::string& query, std::uint64_t expected,
                    std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (testing::count_rows(connection, query) < expected) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

bool wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

mail::ImapOptions imap_of(const testing::BounceRelay& relay) {
  return {.url = relay.imap_url(),
          .username = testing::BounceRelay::imap_user,
          .password = testing::BounceRelay::imap_password};
}

// A message in the bounce mailbox that is no report at all (a person wrote to
// the bounce address): the poller cannot read it, and it must stay for a person.
void mail_the_bounce_address(const testing::BounceRelay& relay) {
  // Written by hand: build_message marks invitations Auto-Submitted, which would make this an auto-reply.
  const std::string message =
      "From: Someone <someone@elsewhere.test>\r\nTo: bounces@bounces.test\r\n"
      "Subject: Please call me about my invoice\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\n"
      "Message-ID: <question-1@elsewhere.test>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello, who do I talk to about my bill?\r\n";
  const auto result = mail::make_smtp_transport({.url = relay.smtp_url()})
                          ->deliver("someone@elsewhere.test", "bounces@bounces.test", message);
  REQUIRE(result.outcome == mail::DeliveryOutcome::delivered);
}

std::vector<std::string> relay_server_args(const testing::BounceRelay& relay) {
  return {"--smtp",
          relay.smtp_url(),
          "--bounce-domain",
          "bounces.test",
          "--bounce-imap",
          relay.imap_url(),
          "--bounce-imap-user",
          testing::BounceRelay::imap_user,
          "--bounce-imap-password",
          testing::BounceRelay::imap_password,
          "--bounce-poll-seconds",
          "1"};
}

}  // namespace

TEST_CASE("DSNs that Postfix returns to the VERP senders are read over IMAP, recorded once and suppress") {
  testing::SendStack stack;
  testing::BounceRelay relay({.sink_port = stack.sink().port()});
  testing::write_people(stack.sql(), {{"permfail.jane@customers.test", "Jane", "Gone"},
                                      {"tempfail.kim@customers.test", "Kim", "Full"},
                                      {"fine.lee@customers.test", "Lee", "Fine"}});
  stack.start_server(relay_server_args(relay));
  const auto job = stack.send(stack.load());
  stack.wait_completed(job);
  INFO(relay.postfix_log());

  // The one accepted message left Postfix with its own envelope sender and the job's From. The job is
  // complete once Postfix has queued every message; its delivery to the sink comes a moment later.
  const auto sink_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (stack.sink().messages().empty() && std::chrono::steady_clock::now() < sink_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(stack.sink().messages().size() == 1);
  const auto delivered = stack.sink().messages().front();
  CHECK(delivered.mail_from.starts_with("bounces+"));
  CHECK(delivered.mail_from.ends_with("@bounces.test"));
  CHECK_THAT(testing::headers_of(delivered.raw), Catch::Contains("From: north@haul.example.com"));

  REQUIRE(wait_for_count(stack.sql(), "SELECT COUNT(*) FROM delivery_outcomes", 2, std::chrono::seconds(60)));
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM delivery_outcomes WHERE source = 'mailbox' AND kind = 'hard_bounce' "
                            "AND email = 'permfail.jane@customers.test' AND status_code = '5.1.1' AND job_id = " +
                                std::to_string(job)) == 1);
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM delivery_outcomes WHERE kind = 'soft_bounce' AND email = "
                            "'tempfail.kim@customers.test'") == 1);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM address_suppressions WHERE lifted_at IS NULL") == 1);
  // Every message of the mailbox was claimed and done, and flagged in the mailbox.
  REQUIRE(wait_for_count(stack.sql(), "SELECT COUNT(*) FROM inbound_mail_claims WHERE done_at IS NOT NULL", 2,
                         std::chrono::seconds(10)));
  CHECK(relay.mailbox_size() == 2);
  mail::ImapMailbox mailbox(imap_of(relay));
  CHECK(wait_until([&] { return mailbox.unprocessed_uids().empty(); }, std::chrono::seconds(10)));

  // The next Load puts the hard-bounced address in the fifth group; the
  // offline copy evaluated by common/ (as the browser does) agrees exactly.
  const auto preview = stack.load();
  CHECK(preview["counts"]["skipped_suppressed"] == 1);
  CHECK(preview["counts"]["pending_invites"] == 2);
  const auto skipped = stack.get_json("/api/previews/" + preview["preview_id"].get<std::string>() +
                                      "/recipients?group=skipped_suppressed");
  REQUIRE(skipped["rows"].size() == 1);
  CHECK(skipped["rows"][0]["email"] == "permfail.jane@customers.test");
  const auto snapshot_answer = stack.get("/api/snapshot");
  REQUIRE(snapshot_answer->status == 200);
  const Evaluation offline = evaluate(SnapshotCodec::decode(snapshot_answer->body), Filter{});
  CHECK(counts_to_json(offline.counts) == preview["counts"]);
  CHECK(offline.digest == preview["digest"]);
  // Send re-checks in SQL: same digest (no 409), and the suppressed address is not mailed.
  const auto again = stack.send(preview, {"pending_invites"});
  CHECK(stack.get_json("/api/jobs/" + std::to_string(again))["job"]["total"] == 2);

  // The job view: outcomes with rates, and the bounced recipients with the server's words.
  const auto first_job = stack.get_json("/api/jobs/" + std::to_string(job));
  CHECK(first_job["outcomes"]["delivered"] == 1);
  CHECK(first_job["outcomes"]["bounced_hard"] == 1);
  CHECK(first_job["outcomes"]["bounced_soft"] == 1);
  CHECK(first_job["outcomes"]["complained"] == 0);
  CHECK(first_job["outcomes"]["thresholds"]["bounce_rate_review"] == 0.05);
  const auto bounced = stack.get_json("/api/jobs/" + std::to_string(job) + "/recipients?status=bounced");
  REQUIRE(bounced["total"] == 2);
  for (const auto& row : bounced["rows"]) CHECK_FALSE(row["outcome_diagnostic"].get<std::string>().empty());

  // Staff review: the address, the contact and account that use it, the last outcome; CSV; lift (audited).
  const auto list = stack.get_json("/api/suppressions");
  REQUIRE(list["total"] == 1);
  const auto& entry = list["rows"][0];
  CHECK(entry["email"] == "permfail.jane@customers.test");
  CHECK(entry["reason"] == "hard_bounce");
  CHECK(entry["contacts"][0]["first_name"] == "Jane");
  CHECK(entry["contacts"][0]["account_number"].get<std::string>().starts_with("A"));
  CHECK_THAT(entry["last_outcome"]["diagnostic"].get<std::string>(), Catch::Contains("Recipient address rejected"));
  const auto csv = stack.get("/api/suppressions.csv");
  CHECK_THAT(csv->body, Catch::Contains("permfail.jane@customers.test,hard_bounce,"));
  CHECK_THAT(csv->body, Catch::Contains(",Jane,Gone,"));
  stack.post_json("/api/suppressions/lift", {{"email", "Permfail.Jane@customers.test"}}, 200);
  stack.post_json("/api/suppressions/lift", {{"email", "permfail.jane@customers.test"}}, 404);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM audit_log WHERE action = 'suppression.lifted'") == 1);
  CHECK(stack.load()["counts"]["skipped_suppressed"] == 0);
}

TEST_CASE("two servers polling one bounce mailbox record each report exactly once") {
  testing::SendStack stack;
  testing::BounceRelay relay({.sink_port = stack.sink().port()});
  auto people = testing::numbered_people(12, "permfail");
  for (auto& person : people) person.email.replace(person.email.find("example.com"), 11, "customers.test");
  testing::write_people(stack.sql(), people);
  stack.start_server(relay_server_args(relay));
  stack.start_server(relay_server_args(relay));
  stack.wait_completed(stack.send(stack.load()));
  INFO(relay.postfix_log());
  REQUIRE(relay.wait_for_mailbox(12, std::chrono::seconds(60)));
  REQUIRE(wait_for_count(stack.sql(), "SELECT COUNT(*) FROM inbound_mail_claims WHERE done_at IS NOT NULL", 12,
                         std::chrono::seconds(60)));
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM inbound_mail_claims") == 12);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM delivery_outcomes") == 12);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(DISTINCT outbox_id) FROM delivery_outcomes") == 12);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM address_suppressions") == 12);
}

TEST_CASE("a 5xx that the SMTP server gives at once is a hard bounce of that message") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), {{"permfail.now@example.com"}, {"fine@example.com"}});
  stack.start_server({"--bounce-domain", "bounces.test"});
  const auto job = stack.send(stack.load());
  stack.wait_completed(job);
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM delivery_outcomes WHERE source = 'smtp' AND kind = 'hard_bounce' AND "
                            "email = 'permfail.now@example.com' AND status_code = '5.1.1'") == 1);
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM address_suppressions WHERE email = 'permfail.now@example.com'") == 1);
  // Straight to the sink: the envelope sender is the message's VERP address there too.
  for (const auto& message : stack.sink().messages()) CHECK(message.mail_from.starts_with("bounces+"));

  // Staff lift the suppression and Retry failed sends the row again: its new
  // 5xx is a new outcome and suppresses the address again.
  stack.post_json("/api/suppressions/lift", {{"email", "permfail.now@example.com"}}, 200);
  stack.post_json("/api/jobs/" + std::to_string(job) + "/retry-failed", nlohmann::json::object(), 200);
  const auto again = stack.wait_completed(job);
  CHECK(again["failed"] == 1);
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM delivery_outcomes WHERE kind = 'hard_bounce' AND "
                            "email = 'permfail.now@example.com'") == 2);
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM address_suppressions WHERE lifted_at IS NULL AND "
                            "email = 'permfail.now@example.com'") == 1);
}

TEST_CASE("a 5xx to the message itself (DATA) is a hard bounce of that message") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), {{"spamtrap@example.com"}});
  stack.start_server({"--bounce-domain", "bounces.test"});
  stack.sink().set_control({{"reject_data", "554 5.7.1 Message rejected as spam"}});
  const auto job = stack.send(stack.load());
  CHECK(stack.wait_completed(job)["failed"] == 1);
  CHECK(stack.get_json("/api/jobs/" + std::to_string(job))["outcomes"]["bounced_hard"] == 1);
  const auto suppressed = stack.get_json("/api/suppressions");
  REQUIRE(suppressed["total"] == 1);
  const auto& entry = suppressed["rows"][0];
  CHECK(entry["email"] == "spamtrap@example.com");
  CHECK(entry["reason"] == "hard_bounce");
  CHECK(entry["last_outcome"]["source"] == "smtp");
  CHECK(entry["last_outcome"]["status"] == "5.7.1");
}

TEST_CASE("a relay that refuses the VERP sender at MAIL FROM suppresses nobody: the job pauses and resumes") {
  testing::SendStack stack;
  const auto people = stack.write_numbered_people(4);
  stack.start_server({"--bounce-domain", "bounces.test", "--smtp-concurrency", "1", "--pause-after-failures", "2"});
  // The misconfiguration the sender sees: the relay will not send as the bounce domain.
  stack.sink().set_control({{"reject_all", "553 5.7.1 <bounces+x@bounces.test>: Sender address rejected"}});
  const auto job = stack.send(stack.load());
  const auto paused = stack.wait_job(job, [](const nlohmann::json& j) { return j["status"] == "paused"; });
  CHECK_THAT(paused["pause_reason"].get<std::string>(), Catch::Contains("2 failures in a row"));
  CHECK_THAT(paused["pause_reason"].get<std::string>(), Catch::Contains("553 5.7.1"));
  CHECK(paused["failed"] == 0);  // the recipients wait for a retry
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM delivery_outcomes") == 0);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM address_suppressions") == 0);

  // The relay is fixed: resume mails everybody once.
  stack.sink().set_control(nlohmann::json::object());
  stack.post_json("/api/jobs/" + std::to_string(job) + "/resume", nlohmann::json::object(), 200);
  CHECK(stack.wait_completed(job, std::chrono::seconds(120))["sent"] == 4);
  testing::check_exactly_once(stack, people);
  CHECK(stack.load()["counts"]["skipped_suppressed"] == 0);
}

TEST_CASE(
    "with --bounce-imap-delete reports leave the mailbox, and mail that cannot be read stays, flagged, counting "
    "nothing") {
  testing::SendStack stack;
  testing::BounceRelay relay({.sink_port = stack.sink().port()});
  mail_the_bounce_address(relay);
  REQUIRE(relay.wait_for_mailbox(1, std::chrono::seconds(30)));
  testing::write_people(stack.sql(), {{"permfail.ann@customers.test"}, {"fine.bo@customers.test"}});
  auto args = relay_server_args(relay);
  args.push_back("--bounce-imap-delete");
  stack.start_server(args);
  stack.wait_completed(stack.send(stack.load()));
  INFO(relay.postfix_log());

  REQUIRE(wait_for_count(stack.sql(), "SELECT COUNT(*) FROM inbound_mail_claims WHERE done_at IS NOT NULL", 2,
                         std::chrono::seconds(60)));
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM inbound_mail_claims WHERE result LIKE 'unreadable: %'") == 1);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM delivery_outcomes") == 1);
  CHECK(testing::count_rows(stack.sql(),
                            "SELECT COUNT(*) FROM delivery_outcomes WHERE kind = 'hard_bounce' AND "
                            "email = 'permfail.ann@customers.test'") == 1);
  // The DSN was deleted; the message nobody could read is still there, flagged, so no pass reads it again.
  CHECK(wait_until([&] { return relay.mailbox_size() == 1; }, std::chrono::seconds(10)));
  mail::ImapMailbox mailbox(imap_of(relay));
  CHECK(wait_until([&] { return mailbox.unprocessed_uids().empty(); }, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // more passes (every second) change nothing
  CHECK(relay.mailbox_size() == 1);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM inbound_mail_claims") == 2);
}

TEST_CASE("a mailbox message another server has finished is only flagged by this one, even with delete on") {
  testing::SmtpSink sink;
  testing::BounceRelay relay({.sink_port = sink.port()});
  testing::TestDatabase database;
  const auto sql = database.connect();
  db::migrate(*sql);
  mail_the_bounce_address(relay);
  REQUIRE(relay.wait_for_mailbox(1, std::chrono::seconds(30)));

  // Another server listed, claimed and finished the message (it could not read it), and has not flagged it yet.
  mail::ImapMailbox mailbox(imap_of(relay));
  const auto uids = mailbox.unprocessed_uids();
  REQUIRE(uids.size() == 1);
  const repository::MailboxMessage message{mailbox.identity(), mailbox.uid_validity(), uids[0]};
  const std::string other(32, 'a');
  REQUIRE(repository::claim_message(*sql, message, other, std::chrono::seconds(300)) ==
          repository::ClaimState::claimed);
  repository::finish_claim(*sql, message, other, "unreadable: not a delivery or complaint report");

  service::BouncePoller poller([&] { return database.connect(); },
                               std::make_shared<service::OutcomeRecorder>(nullptr, repository::SuppressionRules{}),
                               {.imap = imap_of(relay), .delete_processed = true});
  const auto pass = poller.poll_once();
  CHECK(pass.processed == 0);
  CHECK(pass.unreadable == 0);
  CHECK(relay.mailbox_size() == 1);
  mail::ImapMailbox after(imap_of(relay));  // a new session sees the other session's flags at once
  CHECK(after.unprocessed_uids().empty());
}
