#pragma once
// Writing the demo data set (`invites-server seed`, seed/seeder.hpp) into the
// billing tables and portal_users in bulk: rows collect into multi-row
// prepared INSERTs, with the session's per-row foreign key and unique checks
// off (the generator's ids and addresses are consistent by construction).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <cppconn/connection.h>

#include "invites/recipients.hpp"

namespace invites::repository {

struct LookupRow {
  std::uint32_t id;
  std::string name;
  std::optional<std::string> default_from_email;  // divisions only
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
  PortalStatus status;           // invited, active or disabled
  std::int64_t created_at;       // unix seconds
  std::int64_t last_invited_at;  // unix seconds, 0 = NULL
};

enum class LookupTable { divisions, account_classes, bill_groups, account_sources, site_sources };

// Rows per table.
struct SeedCounts {
  std::uint64_t divisions = 0, account_classes = 0, bill_groups = 0, account_sources = 0, site_sources = 0;
  std::uint64_t accounts = 0, sites = 0, services = 0, contacts = 0, portal_users = 0;
};

class SeedTables {
 public:
  // Commits what `connection` has open first, so the tables are read as they are now.
  explicit SeedTables(sql::Connection& connection);
  ~SeedTables();  // the session's checks are on again
  SeedTables(const SeedTables&) = delete;
  SeedTables& operator=(const SeedTables&) = delete;

  // The tables seed writes (and the send jobs, whose outbox names contacts)
  // that hold rows now, e.g. "contacts, accounts"; empty when none does.
  std::string occupied();
  // Turns the session's per-row checks off until destruction and, with
  // `empty_first`, empties those tables.
  void start(bool empty_first);

  void add(LookupTable table, const LookupRow& row);
  void add(const AccountRow& row);
  void add(const SiteRow& row);
  void add(const ServiceRow& row);
  void add(const ContactRow& row);
  void add(const PortalUserRow& row);
  // Writes the rows collected so far (a caller's transaction ends after it).
  void flush();
  // Rows added per table.
  SeedCounts counts() const;

 private:
  class Inserter;

  sql::Connection& connection_;
  bool checks_off_ = false;
  std::unique_ptr<Inserter> divisions_, account_classes_, bill_groups_, account_sources_, site_sources_;
  std::unique_ptr<Inserter> accounts_, sites_, services_, contacts_, portal_users_;
};

}  // namespace invites::repository
