#include "http/health.hpp"

#include <nlohmann/json.hpp>

namespace invites::http {

httplib::Server::Handler health_handler(DatabasePing ping) {
  return [ping = std::move(ping)](const httplib::Request&, httplib::Response& response) {
    const bool database_ok = ping();
    const nlohmann::json body{{"status", "ok"}, {"database", database_ok ? "ok" : "unreachable"}};
    response.status = database_ok ? 200 : 503;
    response.set_header("Cache-Control", "no-store");
    response.set_content(body.dump(), "application/json");
  };
}

}  // namespace invites::http
