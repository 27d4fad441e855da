#include "support/server_process.hpp"

#include <stdexcept>

namespace invites::testing {

ServerProcess::ServerProcess(const db::DatabaseUrl& database, const std::filesystem::path& web_root)
    : process_({invites_server_path(), "serve", "--db", database.to_string(), "--listen", "127.0.0.1:0", "--web-root",
                web_root.string()}) {
  const std::string line = process_.read_line(std::chrono::seconds(20));
  const std::string marker = "listening on http://" + host_ + ":";
  const auto at = line.find(marker);
  if (at == std::string::npos) throw std::runtime_error("unexpected first line from invites-server: " + line);
  port_ = std::stoi(line.substr(at + marker.size()));
}

}  // namespace invites::testing
