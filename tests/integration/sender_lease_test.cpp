// Sender leases and the fencing of the outbox by their tokens (issue 11,
// docs/design.md §10; repository/sender_leases.hpp, repository/outbox.hpp)
// on a real MariaDB: a lease that is over claims nothing (LeaseLost), cannot
// be renewed, and its late `sent` records change no row; recovery takes
// back the rows of an expired lease and leaves a live lease's rows alone; a
// sender whose lease was ended takes a new one.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "db/connection.hpp"
#include "mail/transport.hpp"
#include "repository/outbox.hpp"
#include "repository/sender_leases.hpp"
#include "service/job_runner.hpp"
#include "support/send_stack.hpp"

using namespace invites;
using namespace std::chrono_literals;

namespace {

// The outbox of one running job to 20 people, and sender leases over it.
struct LeasedOutbox {
  testing::SendStack stack;
  std::uint64_t job = 0;

  LeasedOutbox() {
    testing::write_people(stack.sql(), testing::numbered_people(20));
    job = testing::write_running_job(stack.sql());
  }

  std::uint64_t take(const std::string& instance, std::chrono::seconds ttl) {
    return repository::take_sender_lease(stack.sql(), instance, "test", ttl);
  }
  std::vector<repository::ClaimedRecipient> claim(const std::string& instance, std::uint64_t lease, std::size_t n) {
    return repository::claim_batch(stack.sql(), job, instance, lease, n);
  }
  std::uint64_t rows(const std::string& where) {
    return testing::count_rows(
        stack.sql(), "SELECT COUNT(*) FROM send_outbox WHERE job_id = " + std::to_string(job) + " AND " + where);
  }
  std::uint64_t under(std::uint64_t lease) {
    return rows("status = 'sending' AND lease_token = " + std::to_string(lease));
  }
  bool exists(std::uint64_t lease) {
    return testing::count_rows(stack.sql(),
                               "SELECT COUNT(*) FROM sender_leases WHERE token = " + std::to_string(lease)) == 1;
  }
};

// Past a lease of `ttl` taken now (the database's clock has milliseconds).
void outlive(std::chrono::seconds ttl) { std::this_thread::sleep_for(ttl + 300ms); }

}  // namespace

TEST_CASE("leases: a lease that is over claims nothing, is not renewed, and its sent records change no row",
          "[mariadb]") {
  LeasedOutbox outbox;
  const auto lost = outbox.take("paused", 1s);
  const auto claimed = outbox.claim("paused", lost, 5);
  REQUIRE(claimed.size() == 5);
  REQUIRE(outbox.under(lost) == 5);
  outlive(1s);

  SECTION("expired: the claim throws LeaseLost and takes no row") {
    CHECK_THROWS_AS(outbox.claim("paused", lost, 5), repository::LeaseLost);
    CHECK(outbox.under(lost) == 5);
    CHECK(outbox.rows("status = 'pending'") == 15);
    CHECK_FALSE(repository::renew_sender_lease(outbox.stack.sql(), lost, 60s));
  }
  SECTION("ended by another instance's recovery: its rows go to the other, and the late writes change nothing") {
    const auto other = outbox.take("other", 60s);
    CHECK(repository::recover_orphans(outbox.stack.sql(), other) == 5);
    CHECK_FALSE(outbox.exists(lost));
    CHECK(outbox.rows("status = 'pending' AND lease_token IS NULL") == 20);

    CHECK_THROWS_AS(outbox.claim("paused", lost, 5), repository::LeaseLost);
    CHECK_FALSE(repository::renew_sender_lease(outbox.stack.sql(), lost, 60s));
    CHECK(outbox.rows("status = 'pending'") == 20);

    // The other instance claims them (the oldest due rows first: the same five), then
    // the paused one comes back and records them as sent.
    const auto taken_over = outbox.claim("other", other, 20);
    REQUIRE(taken_over.size() == 20);
    std::vector<repository::SentMessage> late;
    for (const auto& recipient : claimed) late.push_back({recipient.outbox_id, 999, lost});
    repository::SentRecorder recorder(outbox.stack.sql());
    CHECK(recorder.record(late) == 0);
    repository::release(outbox.stack.sql(), claimed);
    CHECK(outbox.under(other) == 20);
    CHECK(outbox.rows("invite_id IS NOT NULL OR sent_at IS NOT NULL") == 0);
  }
}

TEST_CASE("leases: recovery takes back an expired lease's rows and leaves a live lease's rows alone", "[mariadb]") {
  LeasedOutbox outbox;
  const auto live = outbox.take("live", 60s);
  const auto expired = outbox.take("expired", 2s);
  const auto own = outbox.take("recovering", 60s);
  REQUIRE(outbox.claim("live", live, 3).size() == 3);
  REQUIRE(outbox.claim("expired", expired, 4).size() == 4);
  REQUIRE(outbox.claim("recovering", own, 2).size() == 2);

  SECTION("before it expires nothing is taken back") {
    CHECK(repository::recover_orphans(outbox.stack.sql(), own) == 0);
    CHECK(outbox.under(expired) == 4);
    CHECK(outbox.exists(expired));
  }
  SECTION("once it expired its rows are pending again and the lease is ended") {
    outlive(2s);
    CHECK(repository::recover_orphans(outbox.stack.sql(), own) == 4);
    CHECK(outbox.under(expired) == 0);
    CHECK_FALSE(outbox.exists(expired));
    CHECK(outbox.rows("status = 'pending'") == 20 - 3 - 2);
  }
  // Either way the live lease and the recovering instance's own rows are untouched.
  CHECK(outbox.under(live) == 3);
  CHECK(outbox.exists(live));
  CHECK(outbox.under(own) == 2);
}

TEST_CASE("leases: a sender whose lease was ended takes a new one and can claim again", "[mariadb]") {
  testing::SendStack stack;
  service::JobRunnerOptions options;
  options.lease_ttl = 5s;
  service::JobRunner runner([&] { return stack.database().connect(); },
                            []() -> std::unique_ptr<mail::MailTransport> { throw std::logic_error("no job to send"); },
                            options);
  const auto lease_of_runner = [&] {
    return testing::count_rows(stack.sql(), "SELECT COALESCE(MAX(token), 0) FROM sender_leases WHERE instance_id = '" +
                                                runner.instance_id() + "'");
  };
  const auto wait_for = [](const std::function<bool()>& done) {
    for (int i = 0; i < 100 && !done(); ++i) std::this_thread::sleep_for(100ms);
    return done();
  };
  runner.start();
  REQUIRE(wait_for([&] { return runner.lease_usable() && lease_of_runner() != 0; }));
  const auto first = lease_of_runner();

  // What another instance's recovery does to a lease it took for expired.
  db::execute(stack.sql(), "DELETE FROM sender_leases WHERE token = " + std::to_string(first));
  CHECK_FALSE(repository::renew_sender_lease(stack.sql(), first, 5s));

  // The next heartbeat (every 2 s) finds it over and takes a new lease, with a new token.
  REQUIRE(wait_for([&] { return lease_of_runner() != 0; }));
  const auto second = lease_of_runner();
  CHECK(second != first);
  CHECK(runner.lease_usable());
  // A job the runner's own workers leave alone (paused), to claim from by hand.
  testing::write_people(stack.sql(), testing::numbered_people(2));
  db::execute(stack.sql(), "START TRANSACTION");
  const auto job = testing::write_running_job(stack.sql());
  db::execute(stack.sql(), "UPDATE send_jobs SET status = 'paused' WHERE id = " + std::to_string(job));
  db::execute(stack.sql(), "COMMIT");
  CHECK_THROWS_AS(repository::claim_batch(stack.sql(), job, runner.instance_id(), first, 2), repository::LeaseLost);
  CHECK(repository::claim_batch(stack.sql(), job, runner.instance_id(), second, 2).size() == 2);
  runner.stop();
}
