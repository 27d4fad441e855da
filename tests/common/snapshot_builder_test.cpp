// SnapshotBuilder: rows in ascending id order (the loader's fast path, no
// sorting) and the same rows shuffled (sorted by permutation) must give the
// same snapshot, through both the record and the borrowed-row calls.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

#include "invites/error.hpp"
#include "invites/snapshot.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"

using namespace invites;

namespace {

struct Rows {
  std::vector<AccountRecord> accounts;
  std::vector<ContactRecord> contacts;
  std::vector<PortalUserRecord> portal_users;
};

Rows rows_of(const testing::Dataset& data) {
  Rows rows;
  rows.accounts = testing::account_records_of(data);  // ascending id
  for (const auto& c : data.contacts)
    rows.contacts.push_back({c.id, c.account_id, c.email, c.first_name, c.last_name, c.is_billing});
  std::sort(rows.contacts.begin(), rows.contacts.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const auto& p : data.portal_users) rows.portal_users.push_back({p.email, p.status, p.last_invited_at});
  return rows;
}

// Through the borrowed-row calls, as the server's loader does.
Snapshot build_by_rows(const Rows& rows) {
  SnapshotBuilder builder;
  for (const auto& a : rows.accounts)
    builder.append_account({a.id, a.division_id, a.account_class_id, a.bill_group_id, a.account_source_id,
                            a.balance_due, a.autopay, a.has_active_service, a.account_number, a.name},
                           a.site_source_ids);
  for (const auto& c : rows.contacts) {
    ContactRowRef row{c.id, c.account_id, std::nullopt, c.first_name, c.last_name, c.is_billing};
    if (c.email) row.email = *c.email;
    builder.append_contact(row);
  }
  for (const auto& p : rows.portal_users) builder.append_portal_user(p.email, p.status, p.last_invited_at);
  return std::move(builder).build(42);
}

Snapshot build_by_records(const Rows& rows) {
  SnapshotBuilder builder;
  for (const auto& a : rows.accounts) builder.add_account(a);
  for (const auto& c : rows.contacts) builder.add_contact(c);
  for (const auto& p : rows.portal_users) builder.add_portal_user(p);
  return std::move(builder).build(42);
}

}  // namespace

TEST_CASE("the builder gives the same snapshot for sorted and shuffled rows") {
  const auto data = testing::generate_dataset({.accounts = 800, .seed = 21});
  Rows sorted = rows_of(data);
  REQUIRE(sorted.contacts.size() > 800);

  const Snapshot fast = build_by_rows(sorted);
  CHECK(std::is_sorted(fast.account_id.begin(), fast.account_id.end()));
  CHECK(std::is_sorted(fast.contact_id.begin(), fast.contact_id.end()));
  CHECK(fast.email_count() > 0);
  CHECK(build_by_records(sorted) == fast);

  Rows shuffled = sorted;
  std::mt19937 rng(5);
  std::shuffle(shuffled.accounts.begin(), shuffled.accounts.end(), rng);
  std::shuffle(shuffled.contacts.begin(), shuffled.contacts.end(), rng);
  for (auto& a : shuffled.accounts) std::shuffle(a.site_source_ids.begin(), a.site_source_ids.end(), rng);
  const Snapshot slow = build_by_records(shuffled);
  CHECK(slow == fast);
  CHECK(build_by_rows(shuffled) == fast);
  CHECK(SnapshotCodec::encode(slow) == SnapshotCodec::encode(fast));

  // Only the contacts out of order, or only the accounts.
  Rows contacts_shuffled = sorted;
  contacts_shuffled.contacts = shuffled.contacts;
  CHECK(build_by_records(contacts_shuffled) == fast);
  Rows accounts_shuffled = sorted;
  accounts_shuffled.accounts = shuffled.accounts;
  CHECK(build_by_rows(accounts_shuffled) == fast);
}

TEST_CASE("portal users and suppressions after index_contacts give the snapshot they give before it") {
  const auto data = testing::generate_dataset({.accounts = 600, .seed = 33});
  const Rows rows = rows_of(data);
  std::vector<std::string> suppressed;
  for (const auto& row : data.suppressions)
    if (!row.lifted) suppressed.push_back(row.email);
  REQUIRE_FALSE(suppressed.empty());
  REQUIRE_FALSE(rows.portal_users.empty());

  auto build = [&](bool index_first) {
    SnapshotBuilder builder;
    for (const auto& a : rows.accounts) builder.add_account(a);
    for (const auto& c : rows.contacts) builder.add_contact(c);
    if (index_first) builder.index_contacts();
    for (const auto& p : rows.portal_users) builder.add_portal_user(p);
    for (const auto& email : suppressed) builder.append_suppression(email);
    return std::move(builder).build(42);
  };
  const Snapshot held = build(false);
  const Snapshot applied = build(true);
  CHECK(applied == held);
  CHECK(std::count(applied.email_suppressed.begin(), applied.email_suppressed.end(), 1) > 0);
  CHECK(std::count_if(applied.email_status.begin(), applied.email_status.end(),
                      [](PortalStatus status) { return status != PortalStatus::none; }) > 0);

  // Rows after it would not be indexed: refused.
  SnapshotBuilder builder;
  builder.add_account({.id = 1});
  builder.index_contacts();
  CHECK_THROWS_AS(builder.add_contact({.id = 1, .account_id = 1}), std::logic_error);
  CHECK_THROWS_AS(builder.add_account({.id = 2}), std::logic_error);
}

TEST_CASE("the builder rejects duplicates and unknown accounts in either order") {
  auto build_with = [](std::vector<Id> accounts, std::vector<std::pair<Id, Id>> contacts) {
    SnapshotBuilder builder;
    for (Id id : accounts) builder.add_account({.id = id});
    for (auto [id, account] : contacts) builder.add_contact({.id = id, .account_id = account, .email = "a@b.co"});
    return std::move(builder).build(0);
  };
  CHECK_NOTHROW(build_with({1, 2, 3}, {{1, 1}, {2, 3}, {3, 3}}));
  CHECK_NOTHROW(build_with({3, 1, 2}, {{3, 3}, {1, 1}, {2, 3}}));
  CHECK_THROWS_AS(build_with({1, 2, 2}, {}), ValidationError);             // sorted with a duplicate
  CHECK_THROWS_AS(build_with({2, 1, 2}, {}), ValidationError);             // unsorted with a duplicate
  CHECK_THROWS_AS(build_with({0, 1}, {}), ValidationError);                // id 0
  CHECK_THROWS_AS(build_with({1, 2}, {{1, 1}, {1, 2}}), ValidationError);  // duplicate contact
  CHECK_THROWS_AS(build_with({1, 2}, {{5, 1}, {4, 1}, {5, 2}}), ValidationError);
  CHECK_THROWS_AS(build_with({1, 2}, {{1, 1}, {2, 7}}), ValidationError);  // unknown account, sorted
  CHECK_THROWS_AS(build_with({2, 1}, {{2, 7}, {1, 1}}), ValidationError);  // unknown account, unsorted
  CHECK_THROWS_AS(build_with({1}, {{0, 1}}), ValidationError);             // contact id 0
}

TEST_CASE("the builder keeps NULL and empty addresses apart") {
  SnapshotBuilder builder;
  builder.add_account({.id = 1});
  builder.add_contact({.id = 3, .account_id = 1, .email = "  "});
  builder.add_contact({.id = 1, .account_id = 1, .email = std::nullopt});
  builder.add_contact({.id = 2, .account_id = 1, .email = "\tA@B.CO "});
  builder.add_contact({.id = 4, .account_id = 1, .email = "a@b.co"});
  Snapshot s = std::move(builder).build(0);
  REQUIRE(s.email_count() == 2);
  CHECK(s.email[0] == "");
  CHECK(s.email[1] == "a@b.co");
  CHECK(s.contact_email == std::vector<std::uint32_t>{no_email, 1, 0, 1});
  CHECK(s.email_contacts == std::vector<std::uint32_t>{2, 1, 3});
  CHECK(s.email_valid == std::vector<std::uint8_t>{0, 1});
}

namespace {

// The derived per-snapshot indexes the evaluator reads, recomputed the
// straightforward way from the encoded columns.
void check_derived_indexes(const Snapshot& s) {
  std::vector<std::uint32_t> without_valid_email;
  for (std::uint32_t c = 0; c < s.contact_count(); ++c)
    if (s.contact_email[c] == no_email || !s.email_valid[s.contact_email[c]]) without_valid_email.push_back(c);
  CHECK(s.contacts_without_valid_email == without_valid_email);

  std::vector<std::uint32_t> begin{0}, contacts, account_billing;
  for (std::uint32_t e = 0; e < s.email_count(); ++e) {
    for (std::uint32_t c = 0; c < s.contact_count(); ++c)
      if (s.contact_email[c] == e) {
        contacts.push_back(c);
        account_billing.push_back(s.contact_account[c] * 2 + s.contact_is_billing[c]);
      }
    begin.push_back(static_cast<std::uint32_t>(contacts.size()));
  }
  CHECK(s.email_contacts_begin == begin);
  CHECK(s.email_contacts == contacts);
  CHECK(s.email_contact_account_billing == account_billing);
}

}  // namespace

TEST_CASE("the derived indexes agree with a direct computation, after build and after decode") {
  for (std::uint64_t seed : {3, 4, 5}) {
    INFO("seed " << seed);
    Snapshot built = testing::snapshot_of(testing::generate_dataset({.accounts = 150, .seed = seed}));
    check_derived_indexes(built);
    check_derived_indexes(SnapshotCodec::decode(SnapshotCodec::encode(built)));
  }
}
