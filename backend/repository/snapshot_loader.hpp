#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

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

struct PortalUserState {
  std::string email;
  PortalStatus status = PortalStatus::none;
  std::int64_t last_invited_at = 0;  // unix seconds, 0 = never
};
// Calls on_user for each portal user changed at or after the unix second
// `since` (updated_at), so a snapshot can take in the tool's own writes.
void read_portal_users_changed_since(sql::Connection& connection, std::int64_t since,
                                     const std::function<void(const PortalUserState&)>& on_user);

// An address whose suppression (docs/design.md §11) was made or lifted, and whether
// it is suppressed now.
struct SuppressionState {
  std::string email;
  bool suppressed = false;
};
void read_suppressions_changed_since(sql::Connection& connection, std::int64_t since,
                                     const std::function<void(const SuppressionState&)>& on_change);

}  // namespace invites::repository
