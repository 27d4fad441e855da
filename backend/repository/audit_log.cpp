#include "repository/audit_log.hpp"

#include <string>

#include "db/statement.hpp"

namespace invites::repository {
namespace {

constexpr const char* select_entries =
    "SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%s.%fZ'), u.username, a.action, a.detail FROM audit_log a "
    "LEFT JOIN staff_users u ON u.id = a.staff_user_id WHERE (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?";

}  // namespace

void record(sql::Connection& connection, std::optional<std::uint64_t> staff_user_id, std::string_view action,
            const nlohmann::json& detail) {
  // Invalid UTF-8 in a detail value is replaced rather than failing the insert.
  db::update(connection, "INSERT INTO audit_log (at, staff_user_id, action, detail) VALUES (UTC_TIMESTAMP(3), ?, ?, ?)",
             staff_user_id, action, detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::vector<AuditEntry> recent_entries(sql::Connection& connection, std::size_t limit, std::uint64_t before) {
  auto rows = db::query(connection, select_entries, before, before, limit);
  std::vector<AuditEntry> entries;
  while (rows.next()) {
    AuditEntry entry;
    std::optional<std::string> detail;
    rows.read_into(entry.id, entry.at, entry.username, entry.action, detail);
    if (detail) entry.detail = nlohmann::json::parse(*detail, nullptr, false);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace invites::repository
