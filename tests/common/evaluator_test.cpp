#include <catch2/catch.hpp>

#include "invites/evaluator.hpp"
#include "invites/filter.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"

using namespace invites;

TEST_CASE("the snapshot evaluator agrees with the reference grouping on random filters") {
  auto data = testing::generate_dataset({.accounts = 800, .seed = 21});
  Snapshot snapshot = testing::snapshot_of(data);
  auto portal = testing::portal_lookup_of(data);
  testing::Rng rng(99);
  for (int i = 0; i < 300; ++i) {
    Filter filter = i == 0 ? Filter{} : testing::random_filter(rng, data);
    INFO("filter " << i);
    RecipientList expected = group_candidates(testing::candidates_of(data, filter), portal);
    Evaluation evaluation = evaluate(snapshot, filter);
    RecipientList actual = to_recipient_list(snapshot, evaluation);
    REQUIRE(actual.counts == expected.counts);
    REQUIRE(actual.rows == expected.rows);
    REQUIRE(actual.digest == expected.digest);
    REQUIRE(evaluation.skipped_contacts.size() == expected.counts.skipped_invalid_email);
  }
}

TEST_CASE("each filter narrows the candidates as documented") {
  SnapshotBuilder b;
  // account 1: division 1, class 1, owes, autopay, active service, site source 1
  b.add_account({.id = 1,
                 .division_id = 1,
                 .account_class_id = 1,
                 .bill_group_id = 1,
                 .account_source_id = 1,
                 .balance_due = true,
                 .autopay = true,
                 .has_active_service = true,
                 .site_source_ids = {1},
                 .account_number = "A1",
                 .name = "One"});
  // account 2: division 2, NULL class/bill group/source, no balance, no autopay, no service, no site
  b.add_account({.id = 2, .division_id = 2, .account_number = "A2", .name = "Two"});
  b.add_contact(
      {.id = 1, .account_id = 1, .email = "one@x.com", .first_name = "Ann", .last_name = "Lee", .is_billing = true});
  b.add_contact({.id = 2, .account_id = 1, .email = "one-b@x.com", .first_name = "Bo"});
  b.add_contact({.id = 3, .account_id = 2, .email = "two@x.com", .first_name = "Cy", .is_billing = true});
  Snapshot s = std::move(b).build(0);

  auto total = [&](Filter f) {
    auto c = evaluate(s, f).counts;
    return c.new_users + c.pending_invites + c.excluded_existing + c.skipped_invalid_email;
  };
  CHECK(total({}) == 3);
  CHECK(total({.division_ids = {1}}) == 2);
  CHECK(total({.division_ids = {2}}) == 1);
  CHECK(total({.division_ids = {1, 2}}) == 3);
  CHECK(total({.account_class_ids = {1}}) == 2);  // NULL class never matches a chosen class
  CHECK(total({.bill_group_ids = {1}}) == 2);
  CHECK(total({.account_source_ids = {2}}) == 0);
  CHECK(total({.site_source_ids = {1}}) == 2);
  CHECK(total({.site_source_ids = {2}}) == 0);
  CHECK(total({.active_service_only = true}) == 2);
  CHECK(total({.balance_due_only = true}) == 2);
  CHECK(total({.billing_contacts_only = true}) == 2);
  CHECK(total({.without_autopay_only = true}) == 1);
  CHECK(total({.division_ids = {1}, .billing_contacts_only = true}) == 1);
}

TEST_CASE("recipient pages search, sort and page") {
  Snapshot s = testing::snapshot_of(testing::generate_dataset({.accounts = 300, .seed = 5}));
  Evaluation e = evaluate(s, {});
  const std::size_t n = e.counts.new_users;
  REQUIRE(n > 50);

  RecipientPage all = page_recipients(s, e, {.group = Group::new_users, .offset = 0, .limit = n + 10});
  CHECK(all.total == n);
  REQUIRE(all.rows.size() == n);
  for (std::size_t i = 1; i < n; ++i) CHECK(all.rows[i - 1].email < all.rows[i].email);

  RecipientPage middle = page_recipients(s, e, {.group = Group::new_users, .offset = 20, .limit = 10});
  REQUIRE(middle.rows.size() == 10);
  CHECK(middle.rows[0].email == all.rows[20].email);
  CHECK(page_recipients(s, e, {.group = Group::new_users, .offset = n + 5, .limit = 10}).rows.empty());

  RecipientPage by_id = page_recipients(
      s, e, {.group = Group::new_users, .limit = n, .sort = SortColumn::contact_id, .descending = true});
  for (std::size_t i = 1; i < n; ++i) CHECK(by_id.rows[i - 1].contact_id > by_id.rows[i].contact_id);

  RecipientPage by_last = page_recipients(s, e, {.group = Group::new_users, .limit = n, .sort = SortColumn::last_name});
  for (std::size_t i = 1; i < n; ++i) CHECK(by_last.rows[i - 1].last_name <= by_last.rows[i].last_name);

  std::string needle = "HAUL.CO";  // case-insensitive search
  RecipientPage found = page_recipients(s, e, {.group = Group::new_users, .limit = n, .query = needle});
  CHECK(found.total > 0);
  CHECK(found.total < n);
  for (const auto& row : found.rows) {
    std::string haystack = std::string(row.email) + "|" + std::string(row.account_name) + "|" +
                           std::string(row.first_name) + "|" + std::string(row.last_name) + "|" +
                           std::string(row.account_number);
    CHECK(haystack.find("haul.co") != std::string::npos);
  }
  CHECK(parse_sort_column("last_invited_at") == SortColumn::last_invited_at);
  CHECK_FALSE(parse_sort_column("password").has_value());

  // In the group's own order, consecutive pages are slices of the whole list
  // (the server streams a CSV so); a search or another order is not that order.
  CHECK(pages_in_stored_order({.group = Group::new_users, .offset = 7, .limit = 3}));
  CHECK_FALSE(pages_in_stored_order({.group = Group::new_users, .query = "x"}));
  CHECK_FALSE(pages_in_stored_order({.group = Group::new_users, .sort = SortColumn::last_name}));
  CHECK_FALSE(pages_in_stored_order({.group = Group::new_users, .descending = true}));
  std::vector<std::string_view> sliced;
  for (std::size_t offset = 0; offset < n; offset += 16) {
    for (const auto& row : page_recipients(s, e, {.group = Group::new_users, .offset = offset, .limit = 16}).rows)
      sliced.push_back(row.email);
  }
  REQUIRE(sliced.size() == n);
  for (std::size_t i = 0; i < n; ++i) CHECK(sliced[i] == all.rows[i].email);
}

TEST_CASE("skipped contacts page like recipients, in contact order by default") {
  Snapshot s = testing::snapshot_of(testing::generate_dataset({.accounts = 400, .seed = 8}));
  Evaluation e = evaluate(s, {});
  const std::size_t n = e.counts.skipped_invalid_email;
  REQUIRE(n > 20);

  RecipientPage by_id = page_skipped_contacts(s, e, {.limit = n, .sort = SortColumn::contact_id});
  CHECK(by_id.total == n);
  REQUIRE(by_id.rows.size() == n);
  for (std::size_t i = 1; i < n; ++i) CHECK(by_id.rows[i - 1].contact_id < by_id.rows[i].contact_id);
  for (const auto& row : by_id.rows) {
    auto contact = s.find_contact(row.contact_id);
    REQUIRE(contact);
    std::uint32_t email = s.contact_email[*contact];
    CHECK((email == no_email || !s.email_valid[email]));
    CHECK(row.email == (email == no_email ? std::string_view() : s.email[email]));
  }

  RecipientPage page = page_skipped_contacts(s, e, {.offset = 5, .limit = 5, .sort = SortColumn::contact_id});
  REQUIRE(page.rows.size() == 5);
  CHECK(page.rows[0].contact_id == by_id.rows[5].contact_id);

  RecipientPage by_email = page_skipped_contacts(s, e, {.limit = n, .sort = SortColumn::email, .descending = true});
  for (std::size_t i = 1; i < n; ++i) {
    const auto& a = by_email.rows[i - 1];
    const auto& b = by_email.rows[i];
    CHECK((a.email > b.email || (a.email == b.email && a.contact_id > b.contact_id)));
  }
  RecipientPage found = page_skipped_contacts(s, e, {.limit = n, .query = "X.COM"});
  CHECK(found.total > 0);
  CHECK(found.total < n);
  for (const auto& row : found.rows) CHECK(std::string(row.email).find("x.com") != std::string::npos);
}

TEST_CASE("portal columns beside a snapshot give what a snapshot with those statuses gives") {
  auto data = testing::generate_dataset({.accounts = 400, .seed = 5});
  const Snapshot snapshot = testing::snapshot_of(data);
  // Newer statuses: every third address changes, every fifth is suppressed
  // or no longer, in a copy of the columns only.
  std::vector<PortalStatus> status(snapshot.email_status.begin(), snapshot.email_status.end());
  std::vector<std::int64_t> invited(snapshot.email_last_invited_at.begin(), snapshot.email_last_invited_at.end());
  std::vector<std::uint8_t> suppressed(snapshot.email_suppressed.begin(), snapshot.email_suppressed.end());
  for (std::size_t e = 0; e < status.size(); e += 3) {
    status[e] = static_cast<PortalStatus>((static_cast<int>(status[e]) + 1) % 4);
    invited[e] = 1'800'000'000 + static_cast<std::int64_t>(e);
  }
  for (std::size_t e = 0; e < suppressed.size(); e += 5) suppressed[e] ^= 1;
  Snapshot changed = snapshot;
  changed.email_status = status;
  changed.email_last_invited_at = invited;
  changed.email_suppressed = suppressed;
  const PortalColumns beside{status, invited, suppressed};

  testing::Rng rng(7);
  for (int i = 0; i < 50; ++i) {
    const Filter filter = i == 0 ? Filter{} : testing::random_filter(rng, data);
    const Evaluation expected = evaluate(changed, filter);
    const Evaluation actual = evaluate(snapshot, filter, beside);
    REQUIRE(actual.counts == expected.counts);
    REQUIRE(actual.digest == expected.digest);
    REQUIRE(to_recipient_list(snapshot, actual).rows == to_recipient_list(changed, expected).rows);
  }
  const Evaluation all = evaluate(snapshot, Filter{}, beside);
  PageRequest request{.group = Group::pending_invites, .limit = 1000, .sort = SortColumn::last_invited_at};
  const auto page = page_recipients(snapshot, all, request, beside);
  const auto reference = page_recipients(changed, evaluate(changed, Filter{}), request);
  REQUIRE(page.total == reference.total);
  REQUIRE(page.rows.size() == reference.rows.size());
  REQUIRE(page.rows.size() > 50);
  for (std::size_t i = 0; i < page.rows.size(); ++i) {
    CHECK(page.rows[i].email == reference.rows[i].email);
    CHECK(page.rows[i].last_invited_at == reference.rows[i].last_invited_at);
  }
  CHECK(SnapshotCodec::encode(snapshot, beside) == SnapshotCodec::encode(changed));
}

TEST_CASE("the digest and rows hold addresses of every length, the column's last address included") {
  const std::string local64(64, 'x'), label63(63, 'd');
  const std::vector<std::string> addresses = {
      "a@b.co",                                          // shorter than a word
      "abcdefghijklmnopqrst@example.com",                // 32 bytes: exactly the fixed copy
      "abcdefghijklmnopqrstu@example.com",               // 33 bytes: one past it
      local64 + "@" + label63 + "." + label63 + ".com",  // long
  };
  // Each address in turn sorts last, where the copy may not read past it.
  for (const std::string& last_local : {std::string("zz"), std::string(40, 'z')}) {
    INFO("last address local part " << last_local);
    SnapshotBuilder b;
    b.add_account({.id = 1});
    std::vector<CandidateContact> candidates;
    Id id = 0;
    for (const std::string& address : addresses) {
      b.add_contact({.id = ++id, .account_id = 1, .email = address});
      candidates.push_back({id, address});
    }
    const std::string last = last_local + "@x.io";
    b.add_contact({.id = ++id, .account_id = 1, .email = last});
    candidates.push_back({id, last});
    b.add_portal_user({.email = "a@b.co", .status = PortalStatus::invited});
    b.add_portal_user({.email = last, .status = PortalStatus::invited});
    const Snapshot s = std::move(b).build(0);

    const RecipientList expected = group_candidates(candidates, [](std::string_view email) {
      return AddressStanding{email == "a@b.co" || email.starts_with("zz") ? PortalStatus::invited : PortalStatus::none,
                             false};
    });
    const RecipientList actual = to_recipient_list(s, evaluate(s, {}));
    CHECK(actual.counts == expected.counts);
    CHECK(actual.rows == expected.rows);
    CHECK(actual.digest == expected.digest);
  }
}
