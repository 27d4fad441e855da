#pragma once
// The audit log (table audit_log): who did what, when. Rows are only ever
// inserted. `detail` must never hold passwords, tokens or cookies.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cppconn/connection.h>
#include <nlohmann/json.hpp>

namespace invites::repository {

// Inserts one row: at = now (UTC, milliseconds), the acting staff user
// (nullopt for the command line or an anonymous request), `action` (a short
// dotted name such as "session.login", at most 64 characters) and `detail`
// (stored as JSON text). Throws sql::SQLException.
void record(sql::Connection& connection, std::optional<std::uint64_t> staff_user_id, std::string_view action,
            const nlohmann::json& detail);

struct AuditEntry {
  std::uint64_t id = 0;
  std::string at;                       // ISO 8601 UTC with milliseconds
  std::optional<std::string> username;  // nullopt: command line or anonymous
  std::string action;
  nlohmann::json detail;
};
// Newest first; with before > 0 only entries with a smaller id (paging).
std::vector<AuditEntry> recent_entries(sql::Connection& connection, std::size_t limit, std::uint64_t before);

}  // namespace invites::repository
