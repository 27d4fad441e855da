#pragma once
// The named lock each sender instance (process) holds on a connection of its
// own while it lives (SPEC §6): when the process dies, its connection closes
// and the server frees the lock, so other instances know its claimed outbox
// rows are orphaned (recover_orphans in repository/outbox.hpp).
#include <string>

#include <cppconn/connection.h>

namespace invites::repository {

// Keeps this connection holding the lock of `instance_id`: takes it if the
// connection does not hold it already (after a reconnect). False when
// another connection holds it.
bool hold_sender_lock(sql::Connection& connection, const std::string& instance_id);

// True when no connection holds the lock of `instance_id` (that instance is gone).
bool sender_lock_is_free(sql::Connection& connection, const std::string& instance_id);

}  // namespace invites::repository
