#include "http/health.hpp"

#include <nlohmann/json.hpp>

namespace invites::http {
namespace {

void send_health(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_header("Cache-Control", "no-store");
  response.set_content(body.dump(), "application/json");
}

}  // namespace

httplib::Server::Handler health_handler(DatabasePing ping) {
  return [ping = std::move(ping)](const httplib::Request&, httplib::Response& response) {
    const bool database_ok = ping();
    send_health(response, database_ok ? 200 : 503,
                {{"status", "ok"}, {"database", database_ok ? "ok" : "unreachable"}});
  };
}

httplib::Server::Handler live_handler() {
  return [](const httplib::Request&, httplib::Response& response) { send_health(response, 200, {{"status", "live"}}); };
}

httplib::Server::Handler ready_handler(ReadinessProbe probe) {
  return [probe = std::move(probe)](const httplib::Request&, httplib::Response& response) {
    const auto state = probe();
    const bool ready = state.index_built && state.database_writable && !state.stopping;
    send_health(response, ready ? 200 : 503,
                {{"status", ready ? "ready" : "not_ready"},
                 {"index", state.index_built ? "built" : "building"},
                 {"database", state.database_writable ? "writable" : "not_writable"},
                 {"stopping", state.stopping}});
  };
}

}  // namespace invites::http
