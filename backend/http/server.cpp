#include "http/server.hpp"

#include <sys/socket.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "db/connection.hpp"
#include "http/health.hpp"
#include "http/request_log.hpp"

namespace invites::http {
namespace {

constexpr std::chrono::seconds health_ping_timeout{2};

// cpp-httplib's default sets SO_REUSEPORT, which lets a second server bind
// the same port silently; SO_REUSEADDR alone still allows quick restarts.
void reuse_address_only(socket_t socket) {
  int yes = 1;
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

// Errors are JSON {"error":{"code","message"}} (SPEC §5); details go to the log only.
void internal_error(const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
  std::string what = "unknown exception";
  try {
    if (error) std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  spdlog::error("unhandled error in {} {}: {}", request.method, request.path, what);
  const nlohmann::json body{{"error", {{"code", "internal"}, {"message", "internal server error"}}}};
  response.status = 500;
  response.set_content(body.dump(), "application/json");
}

}  // namespace

Server::Server(ServerConfig config) : config_(std::move(config)) {
  if (config_.web_root) static_files_ = std::make_unique<StaticFiles>(*config_.web_root);
  http_.set_socket_options(reuse_address_only);
  http_.set_exception_handler(internal_error);
  install_request_log(http_);
  register_routes();
}

Server::~Server() { stop(); }

void Server::register_routes() {
  http_.Get("/healthz", health_handler([url = config_.database] { return db::ping(url, health_ping_timeout); }));
  // Last: the web bundle answers every GET no other route took.
  if (static_files_) {
    http_.Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
      static_files_->serve(request, response);
    });
  }
}

std::uint16_t Server::bind() {
  const auto& [host, port] = config_.listen;
  const int bound = port == 0 ? http_.bind_to_any_port(host) : (http_.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    throw std::runtime_error("cannot listen on " + http_url(host, port) + " (address in use or not local?)");
  }
  port_ = static_cast<std::uint16_t>(bound);
  return port_;
}

void Server::run() {
  // Phase first, flag second; stop() does the reverse, so one of them sees the other.
  phase_ = Phase::running;
  if (!stop_requested_) http_.listen_after_bind();
  phase_ = Phase::finished;
}

void Server::stop() {
  stop_requested_ = true;
  // httplib ignores stop() until listen_after_bind() has started: wait for that.
  while (phase_ == Phase::running && !http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  http_.stop();
}

std::string Server::url() const { return http_url(config_.listen.host, port_); }

}  // namespace invites::http
