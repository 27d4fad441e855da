#pragma once
#include <atomic>
#include <stdexcept>

#include <cppconn/connection.h>

#include "invites/snapshot.hpp"

namespace invites::repository {

// load_snapshot gave up because `cancel` was set.
class SnapshotLoadCancelled : public std::runtime_error {
 public:
  SnapshotLoadCancelled() : std::runtime_error("the snapshot build was cancelled") {}
};

// Reads every account and contact with the attributes the filters need, and
// the portal users, into a snapshot (one consistent read; the connection's
// open transaction, if any, is committed first). Rows are streamed from the
// server straight into the snapshot's columns. `cancel` is checked every few
// thousand rows and between steps: once set, SnapshotLoadCancelled is thrown
// (the connection may then still hold an unfinished result: drop it).
Snapshot load_snapshot(sql::Connection& connection, const std::atomic<bool>& cancel);
Snapshot load_snapshot(sql::Connection& connection);

}  // namespace invites::repository
