#include "support/private_mariadb.hpp"

#include <stdlib.h>

#include <stdexcept>

#include "support/child_process.hpp"

namespace fs = std::filesystem;

namespace invites::testing {
namespace {

fs::path mariadb_script() { return fs::path(INVITES_SOURCE_DIR) / "scripts" / "mariadb-private.sh"; }

}  // namespace

PrivateMariaDb::PrivateMariaDb() {
  std::string pattern = (fs::temp_directory_path() / "invites-mariadb-XXXXXX").string();
  dir_ = mkdtemp(pattern.data());
  const auto started = run("start");
  url_ = db::parse_database_url(started.substr(0, started.find('\n')));
}

PrivateMariaDb::~PrivateMariaDb() {
  try {
    run("stop");
  } catch (...) {
  }
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string PrivateMariaDb::run(const std::string& command) const {
  const auto result = run_process({mariadb_script().string(), command, dir_.string()});
  if (result.exit_code != 0) throw std::runtime_error("mariadb-private.sh " + command + ": " + result.output);
  return result.output;
}

}  // namespace invites::testing
