#include "repository/portal_invites.hpp"

#include "db/statement.hpp"
#include "db/retry.hpp"
#include "repository/stored_enums.hpp"

namespace invites::repository {
namespace {

// An invitation by its token's hash, with the state its dates give it.
constexpr const char* select_invite =
    "SELECT i.id, u.id, u.email, i.accepted_at IS NOT NULL, i.revoked_at IS NOT NULL, "
    "i.expires_at <= UTC_TIMESTAMP(), u.status FROM portal_invites i "
    "JOIN portal_users u ON u.id = i.portal_user_id WHERE i.token_hash = UNHEX(?)";

struct Row {
  InviteLookup lookup;
  std::uint64_t invite_id = 0, user_id = 0;
};

Row read_invite(sql::Connection& connection, const security::TokenHash& token_hash, bool for_update) {
  auto rows = db::query(connection, std::string(select_invite) + (for_update ? " FOR UPDATE" : ""),
                        security::to_hex(token_hash));
  Row out;
  if (!rows.next()) return out;
  const auto [invite_id, user_id, email, accepted, revoked, expired, account] =
      rows.read<std::uint64_t, std::uint64_t, std::string, bool, bool, bool, PortalStatus>();
  out.invite_id = invite_id;
  out.user_id = user_id;
  out.lookup.email = email;
  out.lookup.state = accepted                            ? InviteState::accepted
                     : account == PortalStatus::disabled ? InviteState::account_disabled
                     : account == PortalStatus::active   ? InviteState::account_active
                     : revoked                           ? InviteState::revoked
                     : expired                           ? InviteState::expired
                                                         : InviteState::open;
  return out;
}

}  // namespace

InviteLookup find_invite(sql::Connection& connection, const security::TokenHash& token_hash) {
  return read_invite(connection, token_hash, false).lookup;
}

InviteLookup accept_invite(sql::Connection& connection, const security::TokenHash& token_hash,
                           const std::string& password_hash) {
  // A sender on another node can revoke or add this user's invitations at the same moment.
  return db::transact(connection, [&] {
    const auto row = read_invite(connection, token_hash, true);
    if (row.lookup.state != InviteState::open) return row.lookup;
    db::update(connection,
               "UPDATE portal_users SET status = 'active', password_hash = ?, activated_at = UTC_TIMESTAMP() "
               "WHERE id = ? AND status = 'invited'",
               password_hash, row.user_id);
    db::update(connection, "UPDATE portal_invites SET accepted_at = UTC_TIMESTAMP() WHERE id = ?", row.invite_id);
    db::update(connection,
               "UPDATE portal_invites SET revoked_at = UTC_TIMESTAMP() "
               "WHERE portal_user_id = ? AND id <> ? AND accepted_at IS NULL AND revoked_at IS NULL",
               row.user_id, row.invite_id);
    return row.lookup;
  });
}

}  // namespace invites::repository
