#pragma once
// A bounded pool of database connections for the HTTP server. Connections are
// opened lazily up to `size`; each is lent to one borrower at a time through
// a Lease (RAII). A connection that broke (server restart, network) is
// dropped and replaced on a later acquire, so the pool recovers by itself
// once the database is back.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <cppconn/connection.h>

#include "db/connection.hpp"
#include "db/database_url.hpp"

namespace invites::db {

// The database cannot serve this request now: connecting failed, the
// connection was lost, or every connection stayed busy past the wait limit.
// The HTTP server answers 503 "database_unavailable".
class DatabaseUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PoolOptions {
  std::size_t size = 8;                                 // most connections open at once (at least 1)
  std::chrono::milliseconds acquire_timeout{5000};      // longest wait for a free connection
  std::chrono::milliseconds validate_after_idle{1000};  // ping a connection idle longer than this before lending it
  ConnectOptions connect{.connect_timeout = std::chrono::seconds(3), .read_timeout = std::chrono::seconds(0)};
};

// True for MySQL client errors that mean the connection itself is gone or
// could not be made (2002, 2003, 2006, 2013, 2055, ...).
bool is_connection_error(int mysql_error_code) noexcept;

class ConnectionPool {
 public:
  class Lease;

  ConnectionPool(DatabaseUrl url, PoolOptions options = {});
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection for the caller alone until the Lease is destroyed. Throws
  // DatabaseUnavailable when none becomes free within acquire_timeout or a
  // new connection cannot be opened (the message says why).
  Lease acquire();

  std::size_t size() const noexcept { return options_.size; }
  // Connections currently open (lent or idle), for metrics and tests.
  std::size_t open_count() const;

 private:
  struct Idle {
    std::unique_ptr<sql::Connection> connection;
    std::chrono::steady_clock::time_point since;
  };
  void release(std::unique_ptr<sql::Connection> connection, bool healthy);

  DatabaseUrl url_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<Idle> idle_;
  std::size_t open_ = 0;  // idle + lent + being opened
};

// Returns its connection to the pool when destroyed. When it is destroyed by
// an exception unwinding the stack, the connection is checked first and
// dropped if it no longer works. discard() drops it explicitly.
class ConnectionPool::Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  sql::Connection& operator*() const { return *connection_; }
  sql::Connection* operator->() const { return connection_.get(); }
  sql::Connection& get() const { return *connection_; }
  // Closes the connection instead of returning it (e.g. after a lost connection).
  void discard() noexcept;

 private:
  friend class ConnectionPool;
  Lease(ConnectionPool& pool, std::unique_ptr<sql::Connection> connection);

  ConnectionPool* pool_;
  std::unique_ptr<sql::Connection> connection_;
  int uncaught_at_start_;
};

}  // namespace invites::db
