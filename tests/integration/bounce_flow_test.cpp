// Issue 14 end to end: invitations go out through a real Postfix relay with
// VERP envelope senders; the sink behind it refuses some recipients after
// Postfix queued the messages, so Postfix writes real DSNs to those
// envelope senders, into a Dovecot mailbox that the server polls over
// IMAP. The outcomes are recorded once and suppress the addresses, also
// with two servers polling the same mailbox; a 5xx at SMTP time counts too.
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "db/connection.hpp"
#include "invites/evaluator.hpp"
#include "invites/snapshot_codec.hpp"
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
