#include "repository/division_senders.hpp"

#include <string>

#include "db/statement.hpp"

namespace invites::repository {
namespace {

// Every division with its effective and its billing sender address; followed
// by a WHERE or ORDER BY clause.
constexpr const char* select_senders =
    "SELECT d.id, d.name, COALESCE(s.from_email, d.default_from_email), d.default_from_email "
    "FROM divisions d LEFT JOIN division_senders s ON s.division_id = d.id ";

// The tool's own address for a division, replacing an earlier one.
constexpr const char* upsert_sender =
    "INSERT INTO division_senders (division_id, from_email, updated_by) VALUES (?, ?, ?) "
    "ON DUPLICATE KEY UPDATE from_email = VALUES(from_email), updated_by = VALUES(updated_by)";

// Compared case-insensitively (the column collation), as mail systems compare domains.
constexpr const char* select_any_with_address =
    "SELECT 1 FROM divisions d LEFT JOIN division_senders s ON s.division_id = d.id "
    "WHERE COALESCE(s.from_email, d.default_from_email) = ? LIMIT 1";

// One row of select_senders.
DivisionSender read_sender(db::Rows& rows) {
  DivisionSender sender;
  rows.read_into(sender.id, sender.name, sender.default_from_email, sender.billing_default_from_email);
  return sender;
}

}  // namespace

std::vector<DivisionSender> list_division_senders(sql::Connection& connection) {
  return db::query(connection, std::string(select_senders) + "ORDER BY d.name, d.id").read_all(read_sender);
}

std::optional<DivisionSender> find_division_sender(sql::Connection& connection, Id division_id) {
  return db::query(connection, std::string(select_senders) + "WHERE d.id = ?", division_id).read_next(read_sender);
}

void set_division_sender(sql::Connection& connection, Id division_id, const std::optional<std::string>& from_email,
                         std::optional<std::uint64_t> staff_user_id) {
  if (!from_email) {
    db::update(connection, "DELETE FROM division_senders WHERE division_id = ?", division_id);
  } else {
    db::update(connection, upsert_sender, division_id, *from_email, staff_user_id);
  }
}

bool is_division_sender(sql::Connection& connection, const std::string& address) {
  return db::query_row<int>(connection, select_any_with_address, address).has_value();
}

}  // namespace invites::repository
