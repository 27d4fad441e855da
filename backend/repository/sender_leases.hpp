#pragma once
// Sender leases (table sender_leases, docs/design.md §10): how sender instances know
// that one of them is gone without server-local locks. An instance takes a
// lease valid for a time and renews it by a heartbeat; every row it claims
// carries the lease's token (the fencing token), and every later write of
// that row is conditional on it (repository/outbox.hpp). A lease that was
// not renewed in time is over: recovery returns its rows to pending and
// deletes it, and its instance must take a new one (with a new token) to
// claim again. Times are the database's clock.
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <cppconn/connection.h>

namespace invites::repository {

// The lease a write was conditional on is over.
class LeaseLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A new lease for the instance, valid for `ttl`; returns its token.
std::uint64_t take_sender_lease(sql::Connection& connection, const std::string& instance_id, const std::string& host,
                                std::chrono::seconds ttl);

// Extends the lease to `ttl` from now. False when it is over already
// (expired, or ended by another instance's recovery): take a new one.
bool renew_sender_lease(sql::Connection& connection, std::uint64_t token, std::chrono::seconds ttl);

// Inside a transaction that claims rows: writes the lease's row, so that a
// concurrent recovery of it (on any node) conflicts with the claim; throws
// LeaseLost when the lease is over.
void confirm_sender_lease(sql::Connection& connection, std::uint64_t token);

// Ends the lease if it expired: true when it is over now (deleted here or
// already gone), false while it is valid. Inside the transaction that
// returns its rows to pending, for the same reason as above.
bool end_sender_lease_if_expired(sql::Connection& connection, std::uint64_t token);

// Gives the lease up (a clean stop, after the instance put its rows back).
void give_up_sender_lease(sql::Connection& connection, std::uint64_t token);

}  // namespace invites::repository
