#pragma once
// A deterministic random billing data set with the edge cases of docs/design.md §2,
// shared by the unit tests, the MariaDB equivalence test and the benchmarks.
// Same options give the same rows natively and in WebAssembly (own RNG and
// distributions, nothing implementation-defined).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "invites/filter.hpp"
#include "invites/recipients.hpp"
#include "invites/snapshot.hpp"

namespace invites::testing {

class Rng {  // SplitMix64
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

 private:
  std::uint64_t state_;
};

struct NamedRow {
  Id id;
  std::string name;
};
struct DivisionRow {
  Id id;
  std::string name;
  std::optional<std::string> default_from_email;
};
struct AccountRow {
  Id id;
  std::string number, name;
  Id division_id;
  Id account_class_id, bill_group_id, account_source_id;  // 0 = NULL
  std::int64_t balance_cents;
  bool autopay;
};
struct SiteRow {
  Id id, account_id, site_source_id;  // site_source_id 0 = NULL
  std::string address;
};
struct ServiceRow {
  Id id, site_id;
  bool active;
};
struct ContactRow {
  Id id, account_id;
  std::string first_name, last_name;
  std::optional<std::string> email;
  bool is_billing;
};
struct PortalUserRow {
  std::string email;
  PortalStatus status;
  std::int64_t last_invited_at;
};

// An address_suppressions row (docs/design.md §11); a lifted one no longer suppresses.
struct SuppressionRow {
  std::string email;
  bool lifted;
};

struct Dataset {
  std::vector<DivisionRow> divisions;
  std::vector<NamedRow> account_classes, bill_groups, account_sources, site_sources;
  std::vector<AccountRow> accounts;
  std::vector<SiteRow> sites;
  std::vector<ServiceRow> services;
  std::vector<ContactRow> contacts;
  std::vector<PortalUserRow> portal_users;
  std::vector<SuppressionRow> suppressions;
};

struct DatasetOptions {
  std::size_t accounts = 100;
  std::uint64_t seed = 1;
  double invalid_email_share = 0.08;  // of contacts
  double shared_email_share = 0.10;   // contacts reusing an address of another account
  // Names as billing data has them (snapshot format 5 codes them against each
  // other): accounts named after their first contact ("Last, First" or
  // "First Last"), and other contacts with the first contact's last name.
  double named_after_contact_share = 0.0;  // of accounts
  double family_last_name_share = 0.0;     // of the contacts after an account's first
};
Dataset generate_dataset(const DatasetOptions& options);

// The accounts as the snapshot sees them (flags and site sources derived
// from the rows), ascending id.
std::vector<AccountRecord> account_records_of(const Dataset& data);

// The snapshot the server would build from these rows.
Snapshot snapshot_of(const Dataset& data, std::int64_t generated_at = 1'700'000'000);

// A random filter over the data set's ids (sometimes an id that no row has).
Filter random_filter(Rng& rng, const Dataset& data);

// The candidate contacts of a filter by a plain, obviously-correct scan of
// the rows (independent of the snapshot evaluator), and the portal status
// and suppression of an address as the rows say.
std::vector<CandidateContact> candidates_of(const Dataset& data, const Filter& filter);
PortalLookup portal_lookup_of(const Dataset& data);

}  // namespace invites::testing
