// Delivery outcomes in the database: each outcome recorded once whatever
// repeats it, the suppression rules (hard bounce and complaint at once,
// soft bounces after N within M days, counted after the last lift), and
// mailbox claims that let exactly one of several servers process a message.
#include <catch2/catch.hpp>

#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "repository/delivery_outcomes.hpp"
#include "repository/inbound_claims.hpp"
#include "support/send_stack.hpp"
#include "support/test_database.hpp"

using namespace invites;

namespace {

std::unique_ptr<sql::Connection> migrated(const testing::TestDatabase& database) {
  auto connection = database.connect();
  db::migrate(*connection);
  return connection;
}

bool suppressed(sql::Connection& connection, const std::string& email) {
  return testing::count_rows(
             connection,
             "SELECT COUNT(*) FROM address_suppressions WHERE lifted_at IS NULL AND email = '" + email + "'") == 1;
}

repository::NewOutcome outcome(const std::string& email, const std::string& kind, const std::string& key) {
  return {.email = email,
          .kind = kind,
          .source = "ses",
          .outbox_id = std::nullopt,
          .job_id = std::nullopt,
          .status_code = kind == "complaint" ? "" : "5.1.1",
          .diagnostic = "test",
          .dedupe_key = key};
}

void lift(sql::Connection& connection, const std::string& email) {
  db::execute(connection, "UPDATE address_suppressions SET lifted_at = UTC_TIMESTAMP(3) WHERE email = '" + email + "'");
}

}  // namespace

TEST_CASE("an outcome is recorded once, however often it is reported") {
  testing::TestDatabase database;
  auto sql = migrated(database);
  const repository::SuppressionRules rules;
  const auto first = repository::record_outcome(*sql, outcome("a@customer.example", "hard_bounce", "ses:e1"), rules);
  CHECK(first.recorded);
  CHECK(first.suppressed);
  const auto again = repository::record_outcome(*sql, outcome("a@customer.example", "hard_bounce", "ses:e1"), rules);
  CHECK_FALSE(again.recorded);
  CHECK(testing::count_rows(*sql, "SELECT COUNT(*) FROM delivery_outcomes") == 1);
}

TEST_CASE("a hard bounce or a complaint suppresses at once, and after a lift a new outcome suppresses again") {
  testing::TestDatabase database;
  auto sql = migrated(database);
  const repository::SuppressionRules rules;
  repository::record_outcome(*sql, outcome("hard@customer.example", "hard_bounce", "k1"), rules);
  repository::record_outcome(*sql, outcome("angry@customer.example", "complaint", "k2"), rules);
  CHECK(suppressed(*sql, "hard@customer.example"));
  CHECK(suppressed(*sql, "angry@customer.example"));
  lift(*sql, "hard@customer.example");
  CHECK_FALSE(suppressed(*sql, "hard@customer.example"));
  repository::record_outcome(*sql, outcome("hard@customer.example", "hard_bounce", "k3"), rules);
  CHECK(suppressed(*sql, "hard@customer.example"));
  CHECK(testing::count_rows(*sql, "SELECT COUNT(*) FROM address_suppressions") == 2);  // one row per address
}

TEST_CASE("soft bounces suppress after N within M days, counting only those after the last lift") {
  testing::TestDatabase database;
  auto sql = migrated(database);
  const repository::SuppressionRules rules{.soft_bounce_limit = 3, .soft_bounce_days = 7};
  const std::string email = "full@customer.example";
  // An old soft bounce is outside the window and does not count.
  repository::record_outcome(*sql, outcome(email, "soft_bounce", "s-old"), rules);
  db::execute(*sql,
              "UPDATE delivery_outcomes SET occurred_at = UTC_TIMESTAMP() - INTERVAL 8 DAY WHERE dedupe_key = "
              "'s-old'");
  CHECK_FALSE(repository::record_outcome(*sql, outcome(email, "soft_bounce", "s1"), rules).suppressed);
  CHECK_FALSE(repository::record_outcome(*sql, outcome(email, "soft_bounce", "s2"), rules).suppressed);
  CHECK_FALSE(suppressed(*sql, email));
  CHECK(repository::record_outcome(*sql, outcome(email, "soft_bounce", "s3"), rules).suppressed);
  CHECK(suppressed(*sql, email));

  lift(*sql, email);
  db::execute(*sql, "UPDATE address_suppressions SET lifted_at = UTC_TIMESTAMP(3) + INTERVAL 1 SECOND");
  CHECK_FALSE(repository::record_outcome(*sql, outcome(email, "soft_bounce", "s4"), rules).suppressed);
  CHECK_FALSE(suppressed(*sql, email));
}

TEST_CASE("of several claims on one mailbox message exactly one wins, and a dead claim is taken over after its lease") {
  testing::TestDatabase database;
  auto sql = migrated(database);
  auto other = database.connect();
  const repository::MailboxMessage message{"127.0.0.1:143/INBOX bounces", 7, 42};
  const auto lease = std::chrono::seconds(300);
  CHECK(repository::claim_message(*sql, message, std::string(32, 'a'), lease) == repository::ClaimState::claimed);
  CHECK(repository::claim_message(*other, message, std::string(32, 'b'), lease) == repository::ClaimState::taken);
  // Server a died: after the lease, b may take over.
  db::execute(*sql, "UPDATE inbound_mail_claims SET claimed_at = UTC_TIMESTAMP(3) - INTERVAL 301 SECOND");
  CHECK(repository::claim_message(*other, message, std::string(32, 'b'), lease) == repository::ClaimState::claimed);
  // a comes back late: its finish does nothing, b's counts.
  repository::finish_claim(*sql, message, std::string(32, 'a'), "late");
  CHECK(testing::count_rows(*sql, "SELECT COUNT(*) FROM inbound_mail_claims WHERE done_at IS NOT NULL") == 0);
  repository::finish_claim(*other, message, std::string(32, 'b'), "recorded");
  CHECK(repository::claim_message(*sql, message, std::string(32, 'c'), lease) == repository::ClaimState::done);
  // Another UIDVALIDITY is another message.
  CHECK(repository::claim_message(*sql, {message.mailbox, 8, 42}, std::string(32, 'c'), lease) ==
        repository::ClaimState::claimed);
}

TEST_CASE("the VERP key is made once and read the same by every server") {
  testing::TestDatabase database;
  auto sql = migrated(database);
  auto other = database.connect();
  const std::string key = repository::verp_secret(*sql);
  CHECK(key.size() == 32);
  CHECK(repository::verp_secret(*other) == key);
}
