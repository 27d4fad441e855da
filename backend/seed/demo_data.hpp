#pragma once
// The demo data set of `invites-server seed` (SPEC §4): deterministic for a
// given seed, realistic (names, streets, companies), and full of the cases
// the recipient rules of SPEC §2 must handle: missing, malformed, mixed-case,
// padded and duplicated addresses, the same address on several accounts,
// billing and non-billing contacts, portal users invited, active and disabled.
// Rows are produced in chunks of accounts, so 1M accounts never sit in memory.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

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

struct LookupRow {
  std::uint32_t id;
  std::string name;
  std::optional<std::string> default_from_email;  // divisions only
};
struct Lookups {
  std::vector<LookupRow> divisions, account_classes, bill_groups, account_sources, site_sources;
};

struct AccountRow {
  std::uint32_t id;
  std::string number, name;
  std::uint32_t division_id, account_class_id, bill_group_id, account_source_id;  // 0 = NULL
  std::int64_t balance_cents;
  bool autopay;
};
struct SiteRow {
  std::uint32_t id, account_id, site_source_id;  // 0 = NULL
  std::string address;
};
struct ServiceRow {
  std::uint32_t id, site_id;
  bool active;
};
struct ContactRow {
  std::uint32_t id, account_id;
  std::string first_name, last_name;
  std::optional<std::string> email;
  bool is_billing;
};
struct PortalUserRow {
  std::string email;             // normalized
  std::string status;            // invited | active | disabled
  std::int64_t created_at;       // unix seconds
  std::int64_t last_invited_at;  // unix seconds, 0 = NULL
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
