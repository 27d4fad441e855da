// Issue 14 end to end: invitations go out through a real Postfix relay with
// VERP envelope senders; the sink behind it refuses some recipients after
// Postfix queued the messages, so Postfix writes real DSNs to those
// envelope senders, into a Dovecot mailbox that the server polls over
// IMAP. The outcomes are recorded once and suppress the addresses, also
// with two servers polling the same mailbox; a 5xx at SMTP time counts too.
#include <thread>

#include <catch2/catch.hpp>

#include "db/connection.hpp"
#include "support/bounce_relay.hpp"
#include "support/send_stack.hpp"

using namespace invites;

namespace {

std::uint64_t count(sql::Connection& connection, const std::string& query) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery(query));
  row->next();
  return row->getUInt64(1);
}

bool wait_for_count(sql::Connection& connection, const std::string& query, std::uint64_t expected,
                    std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (count(connection, query) < expected) {
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

  // The one accepted message left Postfix with its own envelope sender and the job's From.
  REQUIRE(stack.sink().messages().size() == 1);
  const auto delivered = stack.sink().messages().front();
  CHECK(delivered.mail_from.starts_with("bounces+"));
  CHECK(delivered.mail_from.ends_with("@bounces.test"));
  CHECK_THAT(testing::headers_of(delivered.raw), Catch::Contains("From: north@haul.example.com"));

  REQUIRE(wait_for_count(stack.sql(), "SELECT COUNT(*) FROM delivery_outcomes", 2, std::chrono::seconds(60)));
  CHECK(count(stack.sql(),
              "SELECT COUNT(*) FROM delivery_outcomes WHERE source = 'mailbox' AND kind = 'hard_bounce' "
              "AND email = 'permfail.jane@customers.test' AND status_code = '5.1.1' AND job_id = " +
                  std::to_string(job)) == 1);
  CHECK(count(stack.sql(),
              "SELECT COUNT(*) FROM delivery_outcomes WHERE kind = 'soft_bounce' AND email = "
              "'tempfail.kim@customers.test'") == 1);
  CHECK(count(stack.sql(), "SELECT COUNT(*) FROM address_suppressions WHERE lifted_at IS NULL") == 1);
  // Every message of the mailbox was claimed and done, and flagged in the mailbox.
  REQUIRE(wait_for_count(stack.sql(), "SELECT COUNT(*) FROM inbound_mail_claims WHERE done_at IS NOT NULL", 2,
                         std::chrono::seconds(10)));
  CHECK(relay.mailbox_size() == 2);
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
  CHECK(count(stack.sql(), "SELECT COUNT(*) FROM inbound_mail_claims") == 12);
  CHECK(count(stack.sql(), "SELECT COUNT(*) FROM delivery_outcomes") == 12);
  CHECK(count(stack.sql(), "SELECT COUNT(DISTINCT outbox_id) FROM delivery_outcomes") == 12);
  CHECK(count(stack.sql(), "SELECT COUNT(*) FROM address_suppressions") == 12);
}

TEST_CASE("a 5xx that the SMTP server gives at once is a hard bounce of that message") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), {{"permfail.now@example.com"}, {"fine@example.com"}});
  stack.start_server({"--bounce-domain", "bounces.test"});
  const auto job = stack.send(stack.load());
  stack.wait_completed(job);
  CHECK(count(stack.sql(),
              "SELECT COUNT(*) FROM delivery_outcomes WHERE source = 'smtp' AND kind = 'hard_bounce' AND "
              "email = 'permfail.now@example.com' AND status_code = '5.1.1'") == 1);
  CHECK(count(stack.sql(), "SELECT COUNT(*) FROM address_suppressions WHERE email = 'permfail.now@example.com'") == 1);
  // Straight to the sink: the envelope sender is the message's VERP address there too.
  for (const auto& message : stack.sink().messages()) CHECK(message.mail_from.starts_with("bounces+"));
}
