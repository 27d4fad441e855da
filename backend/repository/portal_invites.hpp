#pragma once
// The invitee's side of an invitation (docs/design.md §5 /portal/accept): looking up a
// token by its hash and accepting it.
#include <optional>
#include <string>

#include <cppconn/connection.h>

#include "security/tokens.hpp"

namespace invites::repository {

// account_active and account_disabled: the invitation is not used, but its
// portal account is no longer waiting for one: only an invited account is
// activated by a link, which must neither re-enable a disabled account nor
// replace an active account's password.
enum class InviteState { open, expired, revoked, accepted, account_active, account_disabled, unknown };

struct InviteLookup {
  InviteState state = InviteState::unknown;
  std::string email;  // of the portal user (empty when unknown)
};

InviteLookup find_invite(sql::Connection& connection, const security::TokenHash& token_hash);

// In one transaction, if the invitation is still open and its account
// invited: sets the password,
// activates the portal user, marks this invitation accepted and revokes any
// other open one. Returns the state found (open = accepted now).
InviteLookup accept_invite(sql::Connection& connection, const security::TokenHash& token_hash,
                           const std::string& password_hash);

}  // namespace invites::repository
