#include "db/connection_pool.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <cppconn/exception.h>

namespace invites::db {

bool is_connection_error(int code) noexcept {
  switch (code) {
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
      return true;
    default:
      return false;
  }
}

namespace {

// isValid() pings the server; any exception counts as broken.
bool still_works(sql::Connection& connection) noexcept {
  try {
    return !connection.isClosed() && connection.isValid();
  } catch (...) {
    return false;
  }
}

}  // namespace

ConnectionPool::ConnectionPool(DatabaseUrl url, PoolOptions options) : url_(std::move(url)), options_(options) {
  options_.size = std::max<std::size_t>(options_.size, 1);
}

ConnectionPool::~ConnectionPool() = default;

std::size_t ConnectionPool::open_count() const {
  const std::lock_guard lock(mutex_);
  return open_;
}

ConnectionPool::Lease ConnectionPool::acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  for (;;) {
    Idle idle;
    {
      std::unique_lock lock(mutex_);
      const bool ready =
          available_.wait_until(lock, deadline, [this] { return !idle_.empty() || open_ < options_.size; });
      if (!ready) {
        throw DatabaseUnavailable("all " + std::to_string(options_.size) +
                                  " database connections stayed busy; try again later");
      }
      if (!idle_.empty()) {
        idle = std::move(idle_.back());  // the most recently used one is the likeliest to be alive
        idle_.pop_back();
      } else {
        ++open_;  // reserve the slot, connect without holding the lock
      }
    }
    if (idle.connection) {
      if (std::chrono::steady_clock::now() - idle.since < options_.validate_after_idle ||
          still_works(*idle.connection)) {
        return Lease(*this, std::move(idle.connection));
      }
      release(std::move(idle.connection), false);  // broken: drop it and try again
      continue;
    }
    try {
      return Lease(*this, connect(url_, options_.connect));
    } catch (const std::exception& e) {
      release(nullptr, false);
      throw DatabaseUnavailable(e.what());
    }
  }
}

void ConnectionPool::release(std::unique_ptr<sql::Connection> connection, bool healthy) {
  if (!healthy && connection) {
    try {
      connection->close();
    } catch (...) {
      // Already gone.
    }
    connection.reset();
  }
  {
    const std::lock_guard lock(mutex_);
    if (connection) {
      idle_.push_back({std::move(connection), std::chrono::steady_clock::now()});
    } else {
      --open_;
    }
  }
  available_.notify_one();
}

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<sql::Connection> connection)
    : pool_(&pool), connection_(std::move(connection)), uncaught_at_start_(std::uncaught_exceptions()) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::move(other.connection_)),
      uncaught_at_start_(other.uncaught_at_start_) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ == nullptr) return;
  // Unwinding: the error may have been a lost connection, so check it. A
  // connection may also be left inside a transaction; roll that back.
  bool healthy = std::uncaught_exceptions() <= uncaught_at_start_ || still_works(*connection_);
  if (healthy) {
    try {
      if (!connection_->getAutoCommit()) {
        connection_->rollback();
        connection_->setAutoCommit(true);
      }
    } catch (...) {
      healthy = false;
    }
  }
  pool_->release(std::move(connection_), healthy);
}

void ConnectionPool::Lease::discard() noexcept {
  if (pool_ == nullptr) return;
  pool_->release(std::move(connection_), false);
  pool_ = nullptr;
}

}  // namespace invites::db
