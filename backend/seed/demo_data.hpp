#pragma once
// The demo data set of `invites-server seed` (docs/design.md §4): deterministic for a
// given seed, realistic (names, streets, companies), and full of the cases
// the recipient rules of docs/design.md §2 must handle: missing, malformed, mixed-case,
// padded and duplicated addresses, the same address on several accounts,
// billing and non-billing contacts, portal users invited, active and disabled.
// Rows are produced in chunks of accounts, so 1M accounts never sit in memory.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "repository/seed_tables.hpp"

namespace invites::seed {

class Random {  // SplitMix64: the same numbers on every platform
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

using repository::AccountRow;
using repository::ContactRow;
using repository::LookupRow;
using repository::PortalUserRow;
using repository::ServiceRow;
using repository::SiteRow;

struct Lookups {
  std::vector<LookupRow> divisions, account_classes, bill_groups, account_sources, site_sources;
};

struct Chunk {
  std::vector<AccountRow> accounts;
  std::vector<SiteRow> sites;
  std::vector<ServiceRow> services;
  std::vector<ContactRow> contacts;
  std::vector<PortalUserRow> portal_users;  // distinct over the whole data set
  void clear();
};

class DemoDataGenerator {
 public:
  explicit DemoDataGenerator(std::uint64_t seed);
  const Lookups& lookups() const { return lookups_; }
  // The next `count` accounts (ids continue from the previous chunk) with
  // their sites, services, contacts and the portal users of their addresses.
  void next_chunk(std::size_t count, Chunk& out);

 private:
  std::string make_email(const std::string& first, const std::string& last);
  std::string mangle(std::string email);
  void maybe_portal_user(const std::string& normalized, Chunk& out);

  Random rng_;
  Lookups lookups_;
  std::uint32_t next_account_ = 1, next_site_ = 1, next_service_ = 1, next_contact_ = 1;
  std::vector<std::string> recent_;  // a ring of recent valid addresses, for reuse on other accounts
  std::size_t recent_at_ = 0;
  std::unordered_set<std::uint64_t> seen_emails_;  // FNV-1a of every normalized address already considered
};

}  // namespace invites::seed
