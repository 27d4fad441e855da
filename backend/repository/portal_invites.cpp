#include "repository/portal_invites.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "db/transaction.hpp"

namespace invites::repository {
namespace {

struct Row {
  InviteLookup lookup;
  std::uint64_t invite_id = 0, user_id = 0;
};

Row read_invite(sql::Connection& connection, const security::TokenHash& token_hash, bool for_update) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(
      std::string("SELECT i.id, u.id, u.email, i.accepted_at IS NOT NULL, i.revoked_at IS NOT NULL, "
                  "i.expires_at <= UTC_TIMESTAMP(), u.status FROM portal_invites i "
                  "JOIN portal_users u ON u.id = i.portal_user_id WHERE i.token_hash = UNHEX(?)") +
      (for_update ? " FOR UPDATE" : "")));
  statement->setString(1, security::to_hex(token_hash));
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery());
  Row out;
  if (!row->next()) return out;
  out.invite_id = row->getUInt64(1);
  out.user_id = row->getUInt64(2);
  out.lookup.email = row->getString(3).asStdString();
  const std::string account = row->getString(7).asStdString();
  out.lookup.state = row->getBoolean(4)      ? InviteState::accepted
                     : account == "disabled" ? InviteState::account_disabled
                     : account == "active"   ? InviteState::account_active
                     : row->getBoolean(5)    ? InviteState::revoked
                     : row->getBoolean(6)    ? InviteState::expired
                                             : InviteState::open;
  return out;
}

}  // namespace

InviteLookup find_invite(sql::Connection& connection, const security::TokenHash& token_hash) {
  return read_invite(connection, token_hash, false).lookup;
}

InviteLookup accept_invite(sql::Connection& connection, const security::TokenHash& token_hash,
                           const std::string& password_hash) {
  db::Transaction transaction(connection);
  const auto row = read_invite(connection, token_hash, true);
  if (row.lookup.state != InviteState::open) return row.lookup;
  std::unique_ptr<sql::PreparedStatement> user(connection.prepareStatement(
      "UPDATE portal_users SET status = 'active', password_hash = ?, activated_at = UTC_TIMESTAMP() "
      "WHERE id = ? AND status = 'invited'"));
  user->setString(1, password_hash);
  user->setUInt64(2, row.user_id);
  user->executeUpdate();
  std::unique_ptr<sql::PreparedStatement> accepted(
      connection.prepareStatement("UPDATE portal_invites SET accepted_at = UTC_TIMESTAMP() WHERE id = ?"));
  accepted->setUInt64(1, row.invite_id);
  accepted->executeUpdate();
  std::unique_ptr<sql::PreparedStatement> others(connection.prepareStatement(
      "UPDATE portal_invites SET revoked_at = UTC_TIMESTAMP() "
      "WHERE portal_user_id = ? AND id <> ? AND accepted_at IS NULL AND revoked_at IS NULL"));
  others->setUInt64(1, row.user_id);
  others->setUInt64(2, row.invite_id);
  others->executeUpdate();
  transaction.commit();
  return row.lookup;
}

}  // namespace invites::repository
