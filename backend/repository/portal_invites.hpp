#pragma once
// The invitee's side of an invitation (docs/design.md §5 /portal/accept): looking up a
// token by its hash and accepting it.
#include <optional>
#include <string>

#include <cppconn/connection.h>

#include "security/tokens.hpp"

namespace invites::repository {

enum class InviteState { open, expired, revoked, accepted, unknown };

struct InviteLookup {
  InviteState state = InviteState::unknown;
  std::string email;  // of the portal user (empty when unknown)
};

InviteLookup find_invite(sql::Connection& connection, const security::TokenHash& token_hash);

// In one transaction, if the invitation is still open: sets the password,
// activates the portal user, marks this invitation accepted and revokes any
// other open one. Returns the state found (open = accepted now).
InviteLookup accept_invite(sql::Connection& connection, const security::TokenHash& token_hash,
                           const std::string& password_hash);

}  // namespace invites::repository
