#pragma once
// The invitation template `seed` installs when there is none yet, so a new
// installation can send at once (Setup can edit it later).
#include <cppconn/connection.h>

#include "repository/templates.hpp"

namespace invites::seed {

repository::StoredTemplate default_invitation_template();

// Inserts default_invitation_template() unless a template of that name exists.
// Returns true if it inserted one.
bool install_default_template(sql::Connection& connection);

}  // namespace invites::seed
