#pragma once
// The audit log (table audit_log): who did what, when. Rows are only ever
// inserted. `detail` must never hold passwords, tokens or cookies.
#include <cstdint>
#include <optional>
#include <string_view>

#include <cppconn/connection.h>
#include <nlohmann/json.hpp>

namespace invites::repository {

// Inserts one row: at = now (UTC, milliseconds), the acting staff user
// (nullopt for the command line or an anonymous request), `action` (a short
// dotted name such as "session.login", at most 64 characters) and `detail`
// (stored as JSON text). Throws sql::SQLException.
void record(sql::Connection& connection, std::optional<std::uint64_t> staff_user_id, std::string_view action,
            const nlohmann::json& detail);

}  // namespace invites::repository
