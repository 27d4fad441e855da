#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "invites/error.hpp"
#include "invites/snapshot_codec.hpp"
#include "invites/snapshot_delta.hpp"
#include "random_dataset.hpp"

using namespace invites;
using namespace invites::testing;

namespace {

std::uint64_t digest_of(const Snapshot& s) { return SnapshotCodec::layout(s, portal_columns(s)).digest; }

std::string delta_between(const Snapshot& older, const Snapshot& newer) {
  return SnapshotDelta::encode({older, portal_columns(older), digest_of(older)},
                               {newer, portal_columns(newer), digest_of(newer)});
}

// A day of the billing system's ordinary changes, at random: contacts and
// accounts inserted, updated and deleted, portal statuses and suppressions changed.
Dataset changed(Dataset data, const Snapshot& before, Rng& rng, double share) {
  Id next_account = 0, next_contact = 0;
  for (const auto& a : data.accounts) next_account = std::max(next_account, a.id);
  for (const auto& c : data.contacts) next_contact = std::max(next_contact, c.id);
  auto random_account = [&] { return data.accounts[rng.below(data.accounts.size())].id; };
  auto fresh_address = [&] { return "new" + std::to_string(rng.next() % 1'000'000) + "@example.org"; };

  // Accounts: some deleted (with their sites, services and contacts), some changed, some new.
  std::set<Id> deleted_accounts, deleted_sites;
  for (const auto& a : data.accounts)
    if (rng.chance(share / 2)) deleted_accounts.insert(a.id);
  std::erase_if(data.accounts, [&](const AccountRow& a) { return deleted_accounts.count(a.id) > 0; });
  for (const auto& s : data.sites)
    if (deleted_accounts.count(s.account_id)) deleted_sites.insert(s.id);
  std::erase_if(data.sites, [&](const SiteRow& s) { return deleted_sites.count(s.id) > 0; });
  std::erase_if(data.services, [&](const ServiceRow& v) { return deleted_sites.count(v.site_id) > 0; });
  std::erase_if(data.contacts, [&](const testing::ContactRow& c) { return deleted_accounts.count(c.account_id) > 0; });
  for (auto& a : data.accounts) {
    if (!rng.chance(share)) continue;
    if (rng.chance(0.5)) a.name += " (renamed)";
    if (rng.chance(0.5)) a.balance_cents = a.balance_cents > 0 ? 0 : 1250;
    if (rng.chance(0.3)) a.autopay = !a.autopay;
  }
  for (std::size_t n = 0; n < 1 + data.accounts.size() * share / 2; ++n)
    data.accounts.push_back({++next_account, "N-" + std::to_string(next_account), "New account", 1, 0, 0, 0, 0, false});

  // Contacts: some deleted, some changed, some new.
  std::erase_if(data.contacts, [&](const testing::ContactRow&) { return rng.chance(share / 2); });
  for (auto& c : data.contacts) {
    if (!rng.chance(share)) continue;
    switch (rng.below(5)) {
      case 0:
        c.first_name += "x";
        break;
      case 1:
        c.email = fresh_address();
        break;
      case 2:
        c.email = std::nullopt;
        break;
      case 3:
        c.is_billing = !c.is_billing;
        break;
      default:
        c.account_id = random_account();
        break;
    }
  }
  for (std::size_t n = 0; n < 1 + data.contacts.size() * share / 2; ++n) {
    std::optional<std::string> email = fresh_address();
    if (rng.chance(0.3)) email = data.contacts[rng.below(data.contacts.size())].email;
    data.contacts.push_back({++next_contact, random_account(), "New", "Contact", email, rng.chance(0.5)});
  }

  // Portal users and suppressions of addresses the copy has.
  for (auto& p : data.portal_users)
    if (rng.chance(share * 2)) {
      p.status = p.status == PortalStatus::active ? PortalStatus::disabled : PortalStatus::active;
      p.last_invited_at += 86'400;
    }
  std::set<std::string> with_user;
  for (const auto& p : data.portal_users) with_user.insert(p.email);
  for (std::size_t e = 0; e < before.email_count(); ++e) {
    const std::string address(before.email[e]);
    if (rng.chance(share) && !with_user.count(address))
      data.portal_users.push_back({address, PortalStatus::invited, 1'760'000'000});
    if (rng.chance(share / 2)) data.suppressions.push_back({address, false});
  }
  for (auto& s : data.suppressions)
    if (rng.chance(share)) s.lifted = !s.lifted;
  return data;
}

}  // namespace

TEST_CASE("a delta between two generations gives the newer copy byte for byte") {
  for (std::size_t seed = 1; seed <= 40; ++seed) {
    INFO("seed " << seed);
    Rng rng(seed * 7919);
    const Dataset first = generate_dataset({.accounts = 60 + seed * 10, .seed = seed});
    const Snapshot older = snapshot_of(first, 1'760'000'000);
    const Snapshot newer = snapshot_of(changed(first, older, rng, 0.02 + 0.01 * (seed % 5)), 1'760'086'400);
    const std::string delta = delta_between(older, newer);
    const std::string full = SnapshotCodec::encode(newer);
    const Snapshot applied = SnapshotDelta::apply(older, delta);
    REQUIRE(SnapshotCodec::encode(applied) == full);
    CHECK(applied == newer);
    CHECK(delta.size() < full.size() / 2);
    // Bounded on request: a limit below its size gives none.
    CHECK(SnapshotDelta::encode_within({older, portal_columns(older), digest_of(older)},
                                       {newer, portal_columns(newer), digest_of(newer)}, delta.size()) == delta);
    CHECK_FALSE(SnapshotDelta::encode_within({older, portal_columns(older), digest_of(older)},
                                             {newer, portal_columns(newer), digest_of(newer)}, delta.size() / 2));
    // In two steps (the server seals it once the newer digest is known): the same bytes.
    const auto payload = SnapshotDelta::payload_within({older, portal_columns(older), digest_of(older)}, newer,
                                                       portal_columns(newer), delta.size());
    REQUIRE(payload);
    CHECK(SnapshotDelta::seal(*payload, digest_of(older), digest_of(newer)) == delta);
    CHECK_FALSE(SnapshotDelta::payload_within({older, portal_columns(older), digest_of(older)}, newer,
                                              portal_columns(newer), delta.size() / 2));
    // Sealed with another result digest, it is refused when applied.
    CHECK_THROWS_WITH(SnapshotDelta::apply(older, SnapshotDelta::seal(*payload, digest_of(older), 42)),
                      Catch::Contains("is not the one named"));
  }
}

TEST_CASE("deltas sent back to back apply in turn") {
  Rng rng(5);
  const Dataset first = generate_dataset({.accounts = 300, .seed = 11});
  const Snapshot v1 = snapshot_of(first, 1'760'000'000);
  const Dataset second = changed(first, v1, rng, 0.03);
  const Snapshot v2 = snapshot_of(second, 1'760'000'600);
  const Snapshot v3 = snapshot_of(changed(second, v2, rng, 0.03), 1'760'001'200);
  const std::string chain = delta_between(v1, v2) + delta_between(v2, v3);
  CHECK(SnapshotCodec::encode(SnapshotDelta::apply(v1, chain)) == SnapshotCodec::encode(v3));
  // The links must meet: the second delta alone does not apply to v1.
  CHECK_THROWS_WITH(SnapshotDelta::apply(v1, delta_between(v2, v3)), Catch::Contains("not to the one held"));
}

TEST_CASE("a delta without changes keeps the copy, or only its time") {
  const Snapshot s = snapshot_of(generate_dataset({.accounts = 100, .seed = 3}), 1'760'000'000);
  const std::string none = delta_between(s, s);
  CHECK(none.size() < 64);
  CHECK(SnapshotCodec::encode(SnapshotDelta::apply(s, none)) == SnapshotCodec::encode(s));
  Snapshot later = s;
  later.generated_at += 3600;
  CHECK(SnapshotCodec::encode(SnapshotDelta::apply(s, delta_between(s, later))) == SnapshotCodec::encode(later));
  CHECK_THROWS_WITH(SnapshotDelta::apply(s, std::string()), Catch::Contains("empty"));
}

TEST_CASE("a portal-only delta carries the changed statuses of one snapshot") {
  const Snapshot s = snapshot_of(generate_dataset({.accounts = 200, .seed = 4}), 1'760'000'000);
  std::vector<PortalStatus> status(s.email_status.begin(), s.email_status.end());
  std::vector<std::int64_t> invited(s.email_last_invited_at.begin(), s.email_last_invited_at.end());
  std::vector<std::uint8_t> suppressed(s.email_suppressed.begin(), s.email_suppressed.end());
  const std::vector<std::uint32_t> changed{0, 5, static_cast<std::uint32_t>(s.email_count() - 1)};
  status[0] = PortalStatus::active;
  invited[5] = 1'760'000'100;
  suppressed[s.email_count() - 1] ^= 1;
  const PortalColumns newer{status, invited, suppressed};
  const std::uint64_t newer_digest = SnapshotCodec::layout(s, newer).digest;
  const std::string delta = SnapshotDelta::encode_portal(s, newer, changed, digest_of(s), newer_digest);
  CHECK(delta.size() < 100);
  CHECK(SnapshotCodec::encode(SnapshotDelta::apply(s, delta)) == SnapshotCodec::encode(s, newer));
  // The same change found by comparing the two states.
  CHECK(SnapshotDelta::encode({s, portal_columns(s), digest_of(s)}, {s, newer, newer_digest}) == delta);
}

TEST_CASE("a delta for another copy, truncated or corrupt is refused") {
  Rng rng(9);
  const Dataset first = generate_dataset({.accounts = 40, .seed = 21});
  const Snapshot older = snapshot_of(first, 1'760'000'000);
  const Snapshot newer = snapshot_of(changed(first, older, rng, 0.1), 1'760'086'400);
  const std::string delta = delta_between(older, newer);
  const std::string expected = SnapshotCodec::encode(newer);
  REQUIRE(SnapshotCodec::encode(SnapshotDelta::apply(older, delta)) == expected);

  CHECK_THROWS_WITH(SnapshotDelta::apply(newer, delta), Catch::Contains("not to the one held"));
  for (std::size_t size = 0; size < delta.size(); ++size) {
    INFO("truncated to " << size);
    CHECK_THROWS_AS(SnapshotDelta::apply(older, delta.substr(0, size)), SnapshotFormatError);
  }
  CHECK_THROWS_WITH(SnapshotDelta::apply(older, delta + '\0'), Catch::Contains("truncated"));
  for (std::size_t at = 0; at < delta.size(); ++at) {
    INFO("byte " << at << " flipped");
    std::string corrupt = delta;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0x21);
    CHECK_THROWS_AS(SnapshotDelta::apply(older, corrupt), SnapshotFormatError);
  }
  // Payload bytes changed under a matching checksum reach the payload's own
  // bounds checks: each is refused (or, rarely, still gives the named result).
  constexpr std::size_t header_size = 44;
  for (std::size_t at = header_size; at < delta.size(); ++at) {
    INFO("payload byte " << at << " changed");
    for (const std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0x7F}, std::uint8_t{0xFF}}) {
      std::string corrupt = delta;
      corrupt[at] = static_cast<char>(value);
      const std::uint64_t checksum = XXH3_64bits(corrupt.data() + header_size, corrupt.size() - header_size);
      for (int i = 0; i < 8; ++i) corrupt[header_size - 8 + i] = static_cast<char>((checksum >> (8 * i)) & 0xFF);
      const bool refused_or_exact = [&] {
        try {
          return SnapshotCodec::encode(SnapshotDelta::apply(older, corrupt)) == expected;
        } catch (const SnapshotFormatError&) {
          return true;
        }
      }();
      CHECK(refused_or_exact);
    }
  }
}
