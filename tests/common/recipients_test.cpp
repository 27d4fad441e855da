#include <catch2/catch.hpp>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <nlohmann/json.hpp>

#include "invites/error.hpp"
#include "invites/recipients.hpp"

using namespace invites;

namespace {
PortalLookup lookup(std::map<std::string, PortalStatus, std::less<>> users,
                    std::set<std::string, std::less<>> suppressed = {}) {
  return [users = std::move(users), suppressed = std::move(suppressed)](std::string_view email) {
    auto it = users.find(email);
    return AddressStanding{it == users.end() ? PortalStatus::none : it->second, suppressed.contains(email)};
  };
}
}  // namespace

TEST_CASE("groups follow the portal user's status, and suppression skips addresses that would be mailed") {
  CHECK(group_for(PortalStatus::none, false) == Group::new_users);
  CHECK(group_for(PortalStatus::invited, false) == Group::pending_invites);
  CHECK(group_for(PortalStatus::active, false) == Group::excluded_existing);
  CHECK(group_for(PortalStatus::disabled, false) == Group::excluded_existing);
  CHECK(group_for(PortalStatus::none, true) == Group::skipped_suppressed);
  CHECK(group_for(PortalStatus::invited, true) == Group::skipped_suppressed);
  CHECK(group_for(PortalStatus::active, true) == Group::excluded_existing);
  CHECK(group_for(PortalStatus::disabled, true) == Group::excluded_existing);
  CHECK(group_name(Group::skipped_suppressed) == "skipped_suppressed");
  CHECK_FALSE(is_mailed(Group::skipped_suppressed));
  for (Group g : all_groups) CHECK(parse_group(group_name(g)) == g);
  CHECK_FALSE(parse_group("everyone").has_value());
  CHECK(parse_portal_status("active") == PortalStatus::active);
  CHECK_FALSE(parse_portal_status("none").has_value());
}

TEST_CASE("grouping dedupes by normalized address with the lowest contact id") {
  std::vector<CandidateContact> candidates = {
      {30, " Pat@X.com"}, {10, "pat@x.com\t"}, {20, "PAT@X.COM"},                     // one recipient, contact 10
      {5, "new@x.com"},   {6, std::nullopt},   {7, ""},           {8, "bad@@x.com"},  // three skipped
      {9, "pend@x.com"},  {11, "act@x.com"},   {12, "dis@x.com"}, {13, "Act@x.com"},
  };
  auto list = group_candidates(candidates, lookup({{"pend@x.com", PortalStatus::invited},
                                                   {"act@x.com", PortalStatus::active},
                                                   {"dis@x.com", PortalStatus::disabled}}));
  CHECK(list.counts.new_users == 2);
  CHECK(list.counts.pending_invites == 1);
  CHECK(list.counts.excluded_existing == 2);
  CHECK(list.counts.skipped_invalid_email == 3);
  REQUIRE(list.rows.size() == 5);
  CHECK(list.rows[0] == RecipientRow{Group::new_users, "new@x.com", 5});
  CHECK(list.rows[1] == RecipientRow{Group::new_users, "pat@x.com", 10});
  CHECK(list.rows[2] == RecipientRow{Group::pending_invites, "pend@x.com", 9});
  CHECK(list.rows[3] == RecipientRow{Group::excluded_existing, "act@x.com", 11});
  CHECK(list.rows[4] == RecipientRow{Group::excluded_existing, "dis@x.com", 12});
}

TEST_CASE("suppressed addresses form the fifth group, counted as addresses, outside the digest") {
  const std::vector<CandidateContact> candidates = {
      {1, "gone@x.com"}, {2, "Gone@X.com"}, {3, "pend.gone@x.com"}, {4, "act.gone@x.com"}, {5, "ok@x.com"}};
  auto list = group_candidates(
      candidates, lookup({{"pend.gone@x.com", PortalStatus::invited}, {"act.gone@x.com", PortalStatus::active}},
                         {"gone@x.com", "pend.gone@x.com", "act.gone@x.com"}));
  CHECK(list.counts.skipped_suppressed == 2);
  CHECK(list.counts.excluded_existing == 1);
  CHECK(list.counts.new_users == 1);
  CHECK(list.rows.back() == RecipientRow{Group::skipped_suppressed, "pend.gone@x.com", 3});
  // Only ok@x.com is mailed: the digest is that of the list without the others.
  CHECK(list.digest == finish_recipient_list({{Group::new_users, "ok@x.com", 5}}, 0).digest);
  CHECK(counts_to_json(list.counts)["skipped_suppressed"] == 2);
}

TEST_CASE("skipped counts contacts, not addresses") {
  auto list = group_candidates({{1, "a@b"}, {2, "a@b"}, {3, std::nullopt}}, lookup({}));
  CHECK(list.counts.skipped_invalid_email == 3);
  CHECK(list.rows.empty());
}

TEST_CASE("the digest is stable, order-independent and covers only mailed groups") {
  std::vector<RecipientRow> rows = {{Group::pending_invites, "b@x.com", 2}, {Group::new_users, "a@x.com", 1}};
  auto first = finish_recipient_list(rows, 0);
  std::reverse(rows.begin(), rows.end());
  auto second = finish_recipient_list(rows, 7);
  CHECK(first.digest == second.digest);
  CHECK(first.digest.rfind("xxh128:", 0) == 0);
  CHECK(first.digest.size() == 7 + 32);
  // Representative contact ids do not enter the digest.
  CHECK(first.digest ==
        finish_recipient_list({{Group::new_users, "a@x.com", 99}, {Group::pending_invites, "b@x.com", 98}}, 0).digest);

  rows.push_back({Group::excluded_existing, "z@x.com", 3});
  CHECK(finish_recipient_list(rows, 0).digest == first.digest);  // excluded addresses are not mailed

  auto moved = finish_recipient_list({{Group::new_users, "a@x.com", 1}, {Group::new_users, "b@x.com", 2}}, 0);
  CHECK(moved.digest != first.digest);  // same addresses, different group
  auto empty = finish_recipient_list({}, 0);
  CHECK(empty.digest != first.digest);
}

TEST_CASE("the digest of an empty list is a fixed value") {
  // Guards the hash against silent changes (xxHash 0.8 XXH3-128 of no input).
  CHECK(finish_recipient_list({}, 0).digest == "xxh128:99aa06d3014798d86001c324468d497f");
}

TEST_CASE("the counts of a Load: names, groups and JSON round trip", "[counts]") {
  for (const CountGroup g : all_count_groups) {
    INFO(count_group_name(g));
    CHECK(parse_count_group(count_group_name(g)) == g);
    if (const auto recipients = recipient_group_of(g)) CHECK(count_group_of(*recipients) == g);
  }
  CHECK_FALSE(parse_count_group("everyone").has_value());
  CHECK_FALSE(recipient_group_of(CountGroup::skipped_invalid_email).has_value());
  for (const Group g : all_groups) CHECK(recipient_group_of(count_group_of(g)) == g);
  CHECK(is_mailed(CountGroup::new_users));
  CHECK(is_mailed(CountGroup::pending_invites));
  CHECK_FALSE(is_mailed(CountGroup::excluded_existing));
  CHECK_FALSE(is_mailed(CountGroup::skipped_invalid_email));
  CHECK_FALSE(is_mailed(CountGroup::skipped_suppressed));

  // Each group has a member of its own.
  Counts counts;
  std::uint64_t value = 10;
  for (const CountGroup g : all_count_groups) counts.of(g) = value++;
  CHECK(counts == Counts{.new_users = 10,
                         .pending_invites = 11,
                         .skipped_invalid_email = 12,
                         .excluded_existing = 13,
                         .skipped_suppressed = 14});
  CHECK(counts.of(Group::excluded_existing) == 13);

  const nlohmann::json json = counts_to_json(counts);
  CHECK(json == nlohmann::json::parse(
                    R"({"new_users":10,"pending_invites":11,"skipped_invalid_email":12,"excluded_existing":13,)"
                    R"("skipped_suppressed":14})"));
  CHECK(counts_from_json(json, "counts") == counts);
  CHECK(counts_from_json(nlohmann::json::parse(json.dump()), "counts") == counts);
}

TEST_CASE("counts that cannot be read name the count", "[counts]") {
  const auto field_of = [](const nlohmann::json& json) {
    try {
      counts_from_json(json, "counts");
    } catch (const ValidationError& e) {
      CHECK(std::string(e.what()).rfind(e.field() + ": ", 0) == 0);
      return e.field();
    }
    return std::string("(accepted)");
  };
  nlohmann::json good = counts_to_json(Counts{});
  CHECK(field_of(nlohmann::json::array()) == "counts");
  for (const CountGroup g : all_count_groups) {
    const std::string name(count_group_name(g));
    INFO(name);
    nlohmann::json missing = good;
    missing.erase(name);
    CHECK(field_of(missing) == "counts." + name);
    for (const nlohmann::json& bad : {nlohmann::json(-1), nlohmann::json("5"), nlohmann::json(1.5), nlohmann::json()}) {
      nlohmann::json wrong = good;
      wrong[name] = bad;
      CHECK(field_of(wrong) == "counts." + name);
    }
  }
}
