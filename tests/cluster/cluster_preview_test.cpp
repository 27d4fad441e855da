// Any server answers any request (issue 11, docs/design.md §10): a Load made on one
// server is reviewed and sent on another, which re-evaluates the stored
// filter over its own snapshot; when the recipients changed, the answer is
// 409 with the fresh counts (as Send gives), never 404.
#include <thread>

#include <catch2/catch.hpp>

#include "support/galera_cluster.hpp"
#include "support/send_stack.hpp"

using namespace invites;
using nlohmann::json;

namespace {

std::string recipients_path(const json& preview) {
  return "/api/previews/" + preview["preview_id"].get<std::string>() + "/recipients?group=new_users&limit=1000";
}

// Asks `stack`'s current server to rebuild its index and waits until its Load counts `new_users`.
void wait_for_new_users(testing::SendStack& stack, int new_users) {
  stack.post_json("/api/snapshot/refresh", json::object(), 202);
  for (int attempt = 0; attempt < 300; ++attempt) {
    if (stack.load()["counts"]["new_users"] == new_users) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("the server's index never counted " << new_users << " new users");
}

}  // namespace

TEST_CASE("a Load made on one server is reviewed and sent on another, and changed recipients answer 409, not 404",
          "[galera][http]") {
  const auto cluster = testing::GaleraCluster::fixture();
  testing::SendStack stack(cluster.node(1));
  const auto people = stack.write_numbered_people(30);
  auto& a = stack.start_server({}, cluster.node(1, stack.database().name()));
  auto& b = stack.start_server({}, cluster.node(2, stack.database().name()));
  stack.load();  // b's index is built

  stack.use_endpoint(a.host(), a.port());
  const auto preview = stack.load();
  REQUIRE(preview["counts"]["new_users"] == 30);

  stack.use_endpoint(b.host(), b.port());

  SECTION("the other server answers the review, and its Send mails what the Load showed") {
    const auto page = stack.get_json(recipients_path(preview));
    CHECK(page["total"] == 30);
    REQUIRE(page["rows"].size() == 30);
    CHECK(page["rows"][0]["email"] == people[0].email);
    const auto job_id = stack.send(preview);
    CHECK(stack.wait_completed(job_id)["sent"] == 30);
    testing::check_exactly_once(stack, people);
  }
  SECTION("after a change of the data, review and Send on the other server answer 409 with the fresh counts") {
    testing::write_people(stack.sql(), testing::numbered_people(5, "late"));
    wait_for_new_users(stack, 35);
    const auto review = stack.get(recipients_path(preview));
    INFO(review->body);
    CHECK(review->status == 409);
    const auto review_answer = json::parse(review->body);
    CHECK(review_answer["error"]["code"] == "digest_mismatch");
    CHECK(review_answer["counts"]["new_users"] == 35);

    const auto send = stack.post(
        "/api/previews/" + preview["preview_id"].get<std::string>() + "/send",
        {{"from_email", testing::division_sender}, {"template_id", stack.template_id()}, {"groups", {"new_users"}}});
    INFO(send->body);
    CHECK(send->status == 409);
    CHECK(json::parse(send->body)["counts"]["new_users"] == 35);
  }
  SECTION("a preview id nobody made is still 404") {
    const auto answer = stack.get("/api/previews/0123456789abcdef0123456789abcdef/recipients");
    CHECK(answer->status == 404);
  }
}
