#include "support/server_process.hpp"

#include <stdexcept>

namespace invites::testing {
namespace {

std::vector<std::string> serve_argv(const db::DatabaseUrl& database, const ServerProcess::Options& options) {
  std::vector<std::string> argv{invites_server_path(), "serve",    "--db",
                                database.to_string(),  "--listen", "127.0.0.1:" + std::to_string(options.port)};
  if (options.web_root) {
    argv.push_back("--web-root");
    argv.push_back(options.web_root->string());
  }
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  return argv;
}

}  // namespace

ServerProcess::ServerProcess(const db::DatabaseUrl& database, const std::filesystem::path& web_root)
    : ServerProcess(database, Options{.web_root = web_root, .extra_args = {}}) {}

ServerProcess::ServerProcess(const db::DatabaseUrl& database, const Options& options)
    : process_(serve_argv(database, options)) {
  const std::string line = process_.read_line(std::chrono::seconds(20));
  for (const std::string scheme : {"http", "https"}) {
    const std::string marker = "listening on " + scheme + "://" + host_ + ":";
    const auto at = line.find(marker);
    if (at != std::string::npos) {
      scheme_ = scheme;
      port_ = std::stoi(line.substr(at + marker.size()));
      return;
    }
  }
  throw std::runtime_error("unexpected first line from invites-server: " + line);
}

}  // namespace invites::testing
