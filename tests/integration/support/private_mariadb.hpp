#pragma once
// A MariaDB server of the test's own (scripts/mariadb-private.sh), for tests
// that stop and restart it; the fixture's server is shared by every test.
#include <filesystem>
#include <string>

#include "db/database_url.hpp"

namespace invites::testing {

class PrivateMariaDb {
 public:
  // Starts it in a new temporary directory; url() connects as its root user.
  PrivateMariaDb();
  // Stops it and deletes the directory.
  ~PrivateMariaDb();
  PrivateMariaDb(const PrivateMariaDb&) = delete;
  PrivateMariaDb& operator=(const PrivateMariaDb&) = delete;

  const db::DatabaseUrl& url() const { return url_; }
  // mariadb-private.sh COMMAND (start: on the same port as before; stop);
  // its output. Throws std::runtime_error when it fails.
  std::string run(const std::string& command) const;

 private:
  std::filesystem::path dir_;
  db::DatabaseUrl url_;
};

}  // namespace invites::testing
