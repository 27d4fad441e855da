// serve --db A --db-read B (issue 11 "Read scale", deploy/README.md): the
// Load index is built from B (a replica, possibly behind), while every write
// (sessions, previews) goes to A and Send re-evaluates the filter in SQL on
// A: when A's recipients differ from what Load showed from B, Send answers
// 409 with A's counts and writes no job.
#include <catch2/catch.hpp>

#include "db/migrations.hpp"
#include "support/send_stack.hpp"

using namespace invites;
using nlohmann::json;

TEST_CASE("read database: Load counts come from --db-read, Send checks on --db and answers 409", "[mariadb][http]") {
  testing::SendStack stack;  // A: the staff user, the template, 10 people
  stack.write_numbered_people(10);
  testing::TestDatabase replica;  // B: the same 10 and 5 more that A does not have (yet)
  const auto replica_sql = replica.connect();
  db::migrate(*replica_sql);
  testing::write_people(*replica_sql, testing::numbered_people(15));

  stack.start_server({"--db-read", replica.url().to_string()});
  const auto preview = stack.load();
  CHECK(preview["counts"]["new_users"] == 15);

  // The writes went to A alone.
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM previews") == 1);
  CHECK(testing::count_rows(*replica_sql, "SELECT COUNT(*) FROM previews") == 0);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM staff_sessions") >= 1);
  CHECK(testing::count_rows(*replica_sql, "SELECT COUNT(*) FROM staff_sessions") == 0);

  const auto send = stack.post(
      "/api/previews/" + preview["preview_id"].get<std::string>() + "/send",
      {{"from_email", testing::division_sender}, {"template_id", stack.template_id()}, {"groups", {"new_users"}}});
  INFO(send->body);
  CHECK(send->status == 409);
  const auto answer = json::parse(send->body);
  CHECK(answer["error"]["code"] == "digest_mismatch");
  CHECK(answer["counts"]["new_users"] == 10);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_jobs") == 0);
  CHECK(testing::count_rows(stack.sql(), "SELECT COUNT(*) FROM send_outbox") == 0);
}
