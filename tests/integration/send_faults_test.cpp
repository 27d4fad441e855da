// Sending under faults (docs/design.md §6), counted at a real SMTP server: temporary
// and permanent replies, the server down at the start and in the middle,
// failures in a row pausing the job, `kill -9` of invites-server mid-job,
// its database connections killed mid-job, and two servers draining one
// job. Nobody is mailed twice, nobody is skipped.
#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/statement.hpp"
#include "security/tokens.hpp"
#include "support/send_stack.hpp"

using namespace invites;
using nlohmann::json;

namespace {

bool sent_at_least(const json& job, int n) { return job["sent"].get<int>() >= n; }

// How many of the job's outbox rows have one of `statuses` ("pending,sending").
std::uint64_t outbox_rows_in(testing::SendStack& stack, std::uint64_t job_id, const std::string& statuses) {
  return *db::query_row<std::uint64_t>(
      stack.sql(), "SELECT COUNT(*) FROM send_outbox WHERE job_id = ? AND FIND_IN_SET(status, ?)", job_id, statuses);
}

struct JobUnderWay {
  std::uint64_t id;
  std::string path;  // "/api/jobs/<id>"
};

// A job to `people` through one server with one SMTP connection at 20
// messages a second, once `sent` of them have been mailed.
JobUnderWay slow_job_under_way(testing::SendStack& stack, const std::vector<testing::Person>& people, int sent) {
  testing::write_people(stack.sql(), people);
  stack.start_server({"--smtp-concurrency", "1", "--rate", "20"});
  const auto id = stack.send(stack.load());
  stack.wait_job(id, [sent](const json& job) { return sent_at_least(job, sent); });
  return {id, "/api/jobs/" + std::to_string(id)};
}

// The job's one recipient with this outbox status: `email`, its last error naming `reason`.
json only_recipient(testing::SendStack& stack, std::uint64_t job_id, const std::string& status,
                    const std::string& email, const std::string& reason) {
  const auto rows = stack.get_json("/api/jobs/" + std::to_string(job_id) + "/recipients?status=" + status);
  REQUIRE(rows["total"] == 1);
  const json row = rows["rows"][0];
  CHECK(row["email"] == email);
  CHECK(row["last_error"].get<std::string>().find(reason) != std::string::npos);
  return row;
}

}  // namespace

TEST_CASE("4xx replies are retried with backoff and 5xx replies fail the recipient with the reply kept",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  auto people = testing::numbered_people(5);
  people.push_back({"tempfail2-anna@example.com"});
  people.push_back({"permfail-bert@example.com"});
  testing::write_people(stack.sql(), people);
  stack.start_server({"--smtp-concurrency", "2", "--max-attempts", "5"});

  const auto job_id = stack.send(stack.load());
  const auto job = stack.wait_completed(job_id);
  CHECK(job["sent"] == 6);
  CHECK(job["failed"] == 1);
  const auto failed = only_recipient(stack, job_id, "failed", "permfail-bert@example.com", "550");
  CHECK(failed["attempts"] == 1);
  const auto sent = stack.get_json("/api/jobs/" + std::to_string(job_id) + "/recipients?status=sent&limit=1000");
  const auto anna = std::find_if(sent["rows"].begin(), sent["rows"].end(),
                                 [](const json& row) { return row["email"] == "tempfail2-anna@example.com"; });
  REQUIRE(anna != sent["rows"].end());
  CHECK((*anna)["attempts"] == 3);  // two 4xx replies, then accepted
  const auto received = stack.received_per_recipient();
  CHECK(received.count("permfail-bert@example.com") == 0);
  CHECK(received.at("tempfail2-anna@example.com") == 1);

  // The 5xx was a hard bounce, so the address is suppressed (docs/bounces.md):
  // Retry failed takes the recipient up again but does not mail it; the row
  // is skipped, naming why.
  const auto retried = stack.post_json("/api/jobs/" + std::to_string(job_id) + "/retry-failed", json::object(), 200);
  // The job as the retry left it: running again, its failed row pending. (The
  // runner's own idle poll may have finished it in the instant before the read.)
  const auto reopened = retried["job"]["status"].get<std::string>();
  CHECK((reopened == "running" || reopened == "completed"));
  CHECK(retried["job"]["failed"] == 0);
  const auto again = stack.wait_completed(job_id);
  CHECK(again["failed"] == 0);
  CHECK(again["skipped"] == 1);
  CHECK(again["sent"] == 6);
  only_recipient(stack, job_id, "skipped", "permfail-bert@example.com", "suppressed");
  CHECK(stack.received_per_recipient().count("permfail-bert@example.com") == 0);
  CHECK(stack.post("/api/jobs/" + std::to_string(job_id) + "/pause", json::object())->status == 409);
}

TEST_CASE("the SMTP server down at the start and in the middle of a job: retries, then every message once",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto people = stack.write_numbered_people(40);
  stack.start_server({"--smtp-concurrency", "2", "--rate", "20"});

  stack.sink().stop();
  const auto job_id = stack.send(stack.load());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto job = stack.get_json("/api/jobs/" + std::to_string(job_id))["job"];
  CHECK(job["status"] == "running");
  CHECK(job["sent"] == 0);
  stack.sink().restart();
  stack.wait_job(job_id, [](const json& j) { return sent_at_least(j, 10); });
  stack.sink().stop();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  stack.sink().restart();
  job = stack.wait_completed(job_id, std::chrono::seconds(120));
  CHECK(job["sent"] == 40);
  CHECK(job["failed"] == 0);
  testing::check_exactly_once(stack, people);
}

TEST_CASE("failures in a row pause the job and resume finishes it", "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto people = stack.write_numbered_people(12);
  stack.start_server({"--smtp-concurrency", "1", "--pause-after-failures", "3"});
  stack.sink().set_control({{"reject_all", "451 4.3.2 System busy, try later"}});

  const auto job_id = stack.send(stack.load());
  const auto paused = stack.wait_job(job_id, [](const json& j) { return j["status"] == "paused"; });
  CHECK(paused["pause_reason"].get<std::string>().find("3 failures in a row") != std::string::npos);
  CHECK(paused["pause_reason"].get<std::string>().find("451") != std::string::npos);
  CHECK(paused["sent"] == 0);

  stack.sink().set_control(json::object());
  const auto resumed = stack.post_json("/api/jobs/" + std::to_string(job_id) + "/resume", json::object(), 200);
  CHECK(resumed["job"]["status"] == "running");
  const auto job = stack.wait_completed(job_id, std::chrono::seconds(90));
  CHECK(job["sent"] == 12);
  testing::check_exactly_once(stack, people);
}

TEST_CASE("pause and resume and cancel from the API", "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto [job_id, path] = slow_job_under_way(stack, testing::numbered_people(60), 3);

  CHECK(stack.post_json(path + "/pause", json::object(), 200)["job"]["status"] == "paused");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto while_paused = stack.get_json(path)["job"]["sent"].get<int>();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CHECK(stack.get_json(path)["job"]["sent"] == while_paused);
  CHECK(stack.sink().messages().size() == static_cast<std::size_t>(while_paused));

  CHECK(stack.post_json(path + "/resume", json::object(), 200)["job"]["status"] == "running");
  stack.wait_job(job_id, [&](const json& j) { return sent_at_least(j, while_paused + 5); });
  const auto cancelled = stack.post_json(path + "/cancel", json::object(), 200)["job"];
  CHECK(cancelled["status"] == "cancelled");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto job = stack.get_json(path)["job"];
  CHECK(job["sent"].get<int>() + job["cancelled"].get<int>() + job["failed"].get<int>() == 60);
  CHECK(job["cancelled"].get<int>() > 0);
  CHECK(stack.sink().messages().size() == job["sent"].get<std::size_t>());
  CHECK(stack.post(path + "/resume", json::object())->status == 409);
}

TEST_CASE("a cancelled job refuses retry-failed and every other action with 409, and its failed rows stay failed",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  // "permfail-..." sort (so are queued, and fail) first; the "user..." ones are still to come at cancel.
  auto people = testing::numbered_people(3, "permfail-");
  const auto others = testing::numbered_people(60);
  people.insert(people.end(), others.begin(), others.end());
  const auto [job_id, path] = slow_job_under_way(stack, people, 3);
  stack.wait_job(job_id, [](const json& j) { return j["failed"] == 3; });
  CHECK(stack.post_json(path + "/cancel", json::object(), 200)["job"]["status"] == "cancelled");

  const auto retry = stack.post(path + "/retry-failed", json::object());
  REQUIRE(retry);
  CHECK(retry->status == 409);
  const auto error = json::parse(retry->body)["error"];
  CHECK(error["code"] == "invalid_state");
  CHECK(error["message"].get<std::string>().find("cancelled job") != std::string::npos);
  for (const std::string action : {"pause", "resume", "cancel"}) {
    const auto refused = stack.post(path + "/" + action, json::object());
    REQUIRE(refused);
    CHECK(refused->status == 409);
    CHECK(json::parse(refused->body)["error"]["message"] == "cannot " + action + " a job that is cancelled");
  }
  // Nothing is left waiting under the cancelled job, once the rows in flight at cancel are done.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(outbox_rows_in(stack, job_id, "pending,sending") == 0);
  CHECK(outbox_rows_in(stack, job_id, "failed") == 3);
  CHECK(stack.get_json(path)["job"]["status"] == "cancelled");
}

TEST_CASE("a cancel whose server died after the job row: the rows it left pending are cancelled, none is sent",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto [job_id, path] = slow_job_under_way(stack, testing::numbered_people(60), 3);
  // The cancel's first step alone (repository/send_jobs.cpp), as a server killed between its steps leaves it.
  REQUIRE(db::update(stack.sql(), "UPDATE send_jobs SET status = 'cancelled' WHERE id = ?", job_id) == 1);
  REQUIRE(outbox_rows_in(stack, job_id, "pending") > 0);

  const auto job = stack.wait_job(job_id, [](const json& j) { return j["pending"] == 0; });
  CHECK(outbox_rows_in(stack, job_id, "pending,sending") == 0);
  CHECK(job["status"] == "cancelled");
  CHECK(job["cancelled"].get<int>() > 0);
  CHECK(job["sent"].get<int>() + job["cancelled"].get<int>() + job["failed"].get<int>() == 60);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(stack.sink().messages().size() == job["sent"].get<std::size_t>());
}

TEST_CASE("kill -9 of the server mid-job: a restarted server finishes it with nobody mailed twice or skipped",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto people = stack.write_numbered_people(80);
  const std::vector<std::string> args{"--smtp-concurrency", "2", "--rate", "40"};
  stack.start_server(args);
  const auto job_id = stack.send(stack.load());
  stack.wait_job(job_id, [](const json& j) { return sent_at_least(j, 15); });
  stack.kill_servers();

  stack.start_server(args);
  const auto job = stack.wait_completed(job_id, std::chrono::seconds(120));
  CHECK(job["sent"] == 80);
  // docs/design.md §6: the only duplicate possible is a message the SMTP server took
  // just before the kill, one per connection at most.
  testing::check_exactly_once(stack, people, 2);
}

TEST_CASE("two server processes drain one job together: nobody mailed twice or skipped", "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto people = stack.write_numbered_people(80);
  const std::vector<std::string> args{"--smtp-concurrency", "1", "--rate", "30"};
  stack.start_server(args);
  stack.start_server(args);  // the API calls below go to this one
  const auto job_id = stack.send(stack.load());
  const auto job = stack.wait_completed(job_id, std::chrono::seconds(120));
  CHECK(job["sent"] == 80);
  testing::check_exactly_once(stack, people);
  // Both took part: each server's single worker has its own SMTP connection.
  std::set<int> connections;
  for (const auto& message : stack.sink().messages()) connections.insert(message.connection);
  CHECK(connections.size() >= 2);
}

TEST_CASE("the server's database connections are killed mid-job: it carries on, and every last message's link works",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto people = stack.write_numbered_people(60);
  stack.start_server({"--smtp-concurrency", "2", "--rate", "30"});
  const auto job_id = stack.send(stack.load());
  stack.wait_job(job_id, [](const json& j) { return sent_at_least(j, 10); });
  {
    // Workers and the recorder of sent messages lose their connections in
    // the middle of their batches (some of each batch already mailed).
    std::unique_ptr<sql::Statement> statement(stack.sql().createStatement());
    std::unique_ptr<sql::ResultSet> ids(statement->executeQuery(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"));
    std::vector<std::uint64_t> connections;
    while (ids->next()) connections.push_back(ids->getUInt64(1));
    REQUIRE(connections.size() >= 3);
    for (const auto id : connections) {
      try {
        statement->execute("KILL CONNECTION " + std::to_string(id));
      } catch (const sql::SQLException&) {
        // already gone
      }
    }
  }
  // The API's pooled connections were killed too: a request may get 503
  // ("try again shortly") until the pool has replaced them.
  for (int attempt = 0; attempt < 50 && stack.get("/api/jobs/" + std::to_string(job_id))->status != 200; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto job = stack.wait_completed(job_id, std::chrono::seconds(120));
  CHECK(job["sent"] == 60);
  // A message accepted just before its commit was killed may go out again (docs/design.md §6).
  testing::check_exactly_once(stack, people, 2);
  // The invitation in each recipient's last message is open: putting back
  // a batch after the failure revoked only what had not been mailed.
  std::map<std::string, std::string> last_link;
  for (const auto& message : stack.sink().messages()) last_link[message.rcpt] = testing::invite_link_in(message.raw);
  std::unique_ptr<sql::PreparedStatement> open_invite(stack.sql().prepareStatement(
      "SELECT COUNT(*) FROM portal_invites WHERE token_hash = UNHEX(?) AND revoked_at IS NULL"));
  for (const auto& [email, link] : last_link) {
    INFO(email << ": " << link);
    const auto token = security::token_from_base64url(link.substr(link.find("token=") + 6));
    REQUIRE(token);
    open_invite->setString(1, security::to_hex(security::hash_token(*token)));
    std::unique_ptr<sql::ResultSet> row(open_invite->executeQuery());
    REQUIRE(row->next());
    CHECK(row->getInt(1) == 1);
  }
}

// Mutation checks: the exactly-once check above must notice each way of
// breaking the promise, or the tests that rely on it prove nothing.

TEST_CASE("the exactly-once check flags a skipped person, a stranger and repeats beyond the window", "[smtp]") {
  const std::vector<testing::Person> people{{"a@example.com"}, {"b@example.com"}, {"c@example.com"}};
  const auto message = [](const std::string& rcpt, int connection) {
    return testing::SinkMessage{.rcpt = rcpt, .connection = connection};
  };
  using Problems = std::vector<std::string>;
  const std::vector<testing::SinkMessage> once{message("a@example.com", 1), message("b@example.com", 2),
                                               message("c@example.com", 1)};
  CHECK(exactly_once_violations(once, people, 0) == Problems{});

  auto skipped = once;
  skipped.pop_back();
  CHECK(exactly_once_violations(skipped, people, 2) == Problems{"c@example.com received nothing"});

  auto stranger = once;
  stranger.push_back(message("z@example.com", 2));
  CHECK(exactly_once_violations(stranger, people, 2) == Problems{"z@example.com is not a recipient of the job"});

  // a's first copy went out on connection 1 before a crash, again on 3 after it.
  auto repeated = once;
  repeated.push_back(message("a@example.com", 3));
  CHECK(exactly_once_violations(repeated, people, 1) == Problems{});
  CHECK(exactly_once_violations(repeated, people, 0) == Problems{"1 repeated messages, more than the window of 0"});

  // Two repeats on one connection: more than the one message in flight.
  auto twice_on_one = repeated;
  twice_on_one.push_back(message("c@example.com", 3));
  CHECK(exactly_once_violations(twice_on_one, people, 2) ==
        Problems{"a repeat to c@example.com has no SMTP connection of its own (connections it may have gone out "
                 "on: 1)"});

  // A paused server's two messages in flight on connections 3 and 4 went out
  // once it continued, after connection 1 had sent both rows it took over:
  // one repeat on each of 3 and 4, which only RepeatedCopy::any sees.
  auto continued = once;
  continued.push_back(message("a@example.com", 3));
  continued.push_back(message("c@example.com", 4));
  CHECK(exactly_once_violations(continued, people, 2, testing::RepeatedCopy::any) == Problems{});
  CHECK(exactly_once_violations(continued, people, 2).size() == 1);
  // Three repeats whose copies all went out on connections 1 and 3: whichever
  // copies were the repeats, one of the two connections carried two.
  auto three_on_two = twice_on_one;
  three_on_two.push_back(message("a@example.com", 3));
  CHECK(exactly_once_violations(three_on_two, people, 3, testing::RepeatedCopy::any) ==
        Problems{"a repeat to c@example.com has no SMTP connection of its own (connections it may have gone out "
                 "on: 1, 3)"});
}

TEST_CASE("a sender that loses its 'sent' records mails people twice, and the exactly-once check says so",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  const auto people = testing::numbered_people(30);
  const auto [job_id, path] = slow_job_under_way(stack, people, 5);
  // Paused, the job cannot finish before the records are lost.
  CHECK(stack.post_json(path + "/pause", json::object(), 200)["job"]["status"] == "paused");

  // The mutation: three delivered messages lose their 'sent', as if the
  // sender had never committed them.
  std::unique_ptr<sql::Statement> statement(stack.sql().createStatement());
  REQUIRE(statement->executeUpdate("UPDATE send_outbox SET status = 'pending', sent_at = NULL, claimed_by = NULL "
                                   "WHERE job_id = " +
                                   std::to_string(job_id) + " AND status = 'sent' ORDER BY id LIMIT 3") == 3);

  CHECK(stack.post_json(path + "/resume", json::object(), 200)["job"]["status"] == "running");
  CHECK(stack.wait_completed(job_id)["sent"] == 30);
  const auto problems = exactly_once_violations(stack.sink().messages(), people, 0);
  CHECK_THAT(problems, Catch::VectorContains(std::string("3 repeated messages, more than the window of 0")));
  // One connection carried all three: even the window of a crash on two
  // connections does not excuse them.
  CHECK_FALSE(exactly_once_violations(stack.sink().messages(), people, 2).empty());
  CHECK(stack.received_per_recipient().at("user000@example.com") == 2);
}
