#pragma once
// The suppression list for staff (docs/design.md §11): suppressed addresses with the
// last outcome of each (what the receiving server said, and when), paged
// and searched; lifting a suppression.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

namespace invites::repository {

struct SuppressionEntry {
  std::string email;
  std::string reason;         // "hard_bounce", "complaint", "soft_bounces"
  std::string suppressed_at;  // ISO 8601 UTC
  std::optional<std::string> lifted_at, lifted_by;
  // The address's last outcome.
  std::string last_kind, last_source, last_status, last_diagnostic, last_at;
};

struct SuppressionQuery {
  std::string search;           // substring of the address ("" = all)
  bool include_lifted = false;  // lifted ones too
  std::size_t offset = 0;
  std::size_t limit = 100;  // 0 = no limit (CSV export)
};

struct SuppressionPage {
  std::uint64_t total = 0;
  std::vector<SuppressionEntry> rows;  // newest suppression first
};
SuppressionPage list_suppressions(sql::Connection& connection, const SuppressionQuery& query);

// Lifts an active suppression; false when the address is not suppressed.
bool lift_suppression(sql::Connection& connection, const std::string& email, std::uint64_t staff_user_id);

}  // namespace invites::repository
