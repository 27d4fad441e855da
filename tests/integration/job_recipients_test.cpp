// GET /api/jobs/{id}/recipients (docs/design.md §5): the recipients of a job by status,
// paged with offset/limit and a total, so the app can list every failed
// recipient of a large job; parameter errors are 400 naming the parameter.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/send_stack.hpp"

using namespace invites;
using nlohmann::json;

TEST_CASE("failed recipients page by offset and limit, in queue order, with the total on every page",
          "[mariadb][http][smtp]") {
  testing::SendStack stack;
  auto people = testing::numbered_people(23, "permfail-");  // 550 from the sink
  const auto delivered = testing::numbered_people(4, "ok-");
  people.insert(people.end(), delivered.begin(), delivered.end());
  testing::write_people(stack.sql(), people);
  stack.start_server({"--pause-after-failures", "1000"});
  const auto job_id = stack.send(stack.load());
  const auto job = stack.wait_completed(job_id);
  REQUIRE(job["failed"] == 23);
  REQUIRE(job["sent"] == 4);

  const std::string path = "/api/jobs/" + std::to_string(job_id) + "/recipients?status=failed";
  std::vector<std::string> listed;
  for (int offset = 0; offset < 25; offset += 5) {
    const auto page = stack.get_json(path + "&offset=" + std::to_string(offset) + "&limit=5");
    CHECK(page["total"] == 23);
    CHECK(page["rows"].size() == static_cast<std::size_t>(std::min(5, 23 - offset)));
    for (const auto& row : page["rows"]) {
      CHECK(row["status"] == "failed");
      CHECK(row["attempts"] == 1);
      CHECK_THAT(row["last_error"].get<std::string>(), Catch::StartsWith("550 5.1.1"));
      listed.push_back(row["email"].get<std::string>());
    }
  }
  // Every failed recipient once, in queue order (one group here: by email).
  std::vector<std::string> expected;
  for (int k = 0; k < 23; ++k) expected.push_back(people[static_cast<std::size_t>(k)].email);
  CHECK(listed == expected);

  const auto past_the_end = stack.get_json(path + "&offset=23&limit=5");
  CHECK(past_the_end["total"] == 23);
  CHECK(past_the_end["rows"].empty());
  const auto sent = stack.get_json("/api/jobs/" + std::to_string(job_id) + "/recipients?status=sent&limit=1000");
  CHECK(sent["total"] == 4);
  CHECK(sent["rows"][0]["email"] == "ok-000@example.com");
}

TEST_CASE("bad paging parameters are 400 naming the parameter", "[mariadb][http]") {
  testing::SendStack stack;
  testing::write_people(stack.sql(), {{"anna@example.com"}});
  stack.start_server({"--maildir", (stack.sink().directory() / "unused-maildir").string()});
  const auto job_id = stack.send(stack.load());
  const std::string path = "/api/jobs/" + std::to_string(job_id) + "/recipients?status=failed";
  const auto rejects = [&](const std::string& query, const std::string& field) {
    const auto result = stack.get(path + query);
    INFO(query << ": " << result->body);
    CHECK(result->status == 400);
    const auto error = json::parse(result->body)["error"];
    CHECK(error["code"] == "invalid");
    CHECK(error["field"] == field);
    CHECK_THAT(error["message"].get<std::string>(), Catch::StartsWith(field));
  };
  rejects("&offset=-1", "offset");
  rejects("&offset=ten", "offset");
  rejects("&offset=", "offset");
  rejects("&offset=99999999999", "offset");
  rejects("&limit=0", "limit");
  rejects("&limit=1001", "limit");
  rejects("&limit=5x", "limit");
  // "sending" is part of pending, not a filter of its own; "bounced" and "complained" are (delivery outcomes).
  for (const std::string bad : {"sending", "delivered", ""}) {
    const auto status = stack.get("/api/jobs/" + std::to_string(job_id) + "/recipients?status=" + bad);
    INFO(bad);
    CHECK(status->status == 400);
    CHECK(json::parse(status->body)["error"]["field"] == "status");
  }
  CHECK(stack.get_json("/api/jobs/" + std::to_string(job_id) + "/recipients?status=bounced")["total"] == 0);
  CHECK(stack.get("/api/jobs/999999/recipients?status=failed")->status == 404);
  CHECK(stack.get_json(path + "&offset=0&limit=1000")["total"] == 0);
}
