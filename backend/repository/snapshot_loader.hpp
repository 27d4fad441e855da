#pragma once
#include <cppconn/connection.h>

#include "invites/snapshot.hpp"

namespace invites::repository {

// Reads every account and contact with the attributes the filters need, and
// the portal users, into a snapshot (one consistent read; the connection's
// open transaction, if any, is committed first).
Snapshot load_snapshot(sql::Connection& connection);

}  // namespace invites::repository
