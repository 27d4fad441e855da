#include "repository/contacts.hpp"

#include "db/statement.hpp"

namespace invites::repository {
namespace {

constexpr const char* select_details =
    "SELECT COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), a.account_number, a.name, d.name "
    "FROM contacts c JOIN accounts a ON a.id = c.account_id JOIN divisions d ON d.id = a.division_id "
    "WHERE c.id = ?";

}  // namespace

std::optional<RecipientDetails> recipient_details(sql::Connection& connection, std::uint32_t contact_id,
                                                  const std::string& email) {
  auto rows = db::query(connection, select_details, contact_id);
  if (!rows.next()) return std::nullopt;
  RecipientDetails details{.email = email};
  rows.read_into(details.first_name, details.last_name, details.account_number, details.account_name,
                 details.division_name);
  return details;
}

}  // namespace invites::repository
