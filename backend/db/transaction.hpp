#pragma once
// One database transaction, rolled back unless commit() is reached (an
// exception, an early return). The connection is in autocommit mode again
// afterwards, as the pool expects.
#include <cppconn/connection.h>

#include "db/connection.hpp"

namespace invites::db {

class Transaction {
 public:
  explicit Transaction(sql::Connection& connection) : connection_(connection) { connection_.setAutoCommit(false); }
  ~Transaction() {
    if (open_) {
      try {
        connection_.rollback();
        connection_.setAutoCommit(true);
      } catch (...) {
        // A lost connection rolls back on the server by itself; the pool drops it.
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // A COMMIT statement, not Connection::commit(): Connector/C++ 1.1 drops the
  // error of a failed commit, and a Galera certification conflict (1213)
  // shows only there: the transaction would count as done though rolled back.
  void commit() {
    execute(connection_, "COMMIT");
    open_ = false;
    connection_.setAutoCommit(true);
  }

 private:
  sql::Connection& connection_;
  bool open_ = true;
};

}  // namespace invites::db
