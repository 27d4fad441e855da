#include "http/server.hpp"

#include <sys/socket.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include <cppconn/exception.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "db/connection_pool.hpp"
#include "http/api_error.hpp"
#include "http/health.hpp"
#include "http/load_routes.hpp"
#include "http/request_log.hpp"
#include "http/request_origin.hpp"
#include "http/response_encoding.hpp"
#include "http/security_headers.hpp"
#include "http/send_routes.hpp"
#include "http/session_routes.hpp"
#include "invites/error.hpp"

namespace invites::http {
namespace {

// A scraper or two, not the public.
constexpr ConnectionLimits metrics_connections{.workers = 2, .max_waiting = 16};

// cpp-httplib's default sets SO_REUSEPORT, which lets a second server bind
// the same port silently; SO_REUSEADDR alone still allows quick restarts.
void reuse_address_only(socket_t socket) {
  int yes = 1;
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

// Errors are JSON {"error":{"code","message"[,"field"]}} (docs/design.md §5): ApiError
// as thrown, ValidationError 400, a Load whose recipients changed 409, the
// first index not built yet or an unreachable database 503; anything else is
// 500 with its details in the log only.
void error_response(const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
  try {
    if (error) std::rethrow_exception(error);
    throw std::runtime_error("unknown exception");
  } catch (const ApiError& e) {
    send_error(response, e.status(), e.code(), e.what(), e.field());
  } catch (const service::RecipientsChanged& e) {
    send_recipients_changed(response, e.counts, e.digest);
  } catch (const service::SnapshotLoading& e) {
    send_error(response, 503, "snapshot_loading", e.what());
  } catch (const invites::ValidationError& e) {
    send_error(response, 400, "invalid", e.what(), e.field().empty() ? std::nullopt : std::optional(e.field()));
  } catch (const db::DatabaseUnavailable& e) {
    spdlog::warn("request {}: database unavailable in {} {}: {}", current_request_id(), request.method, request.path,
                 e.what());
    send_error(response, 503, "database_unavailable", "the database is not available; try again shortly");
  } catch (const sql::SQLException& e) {
    if (db::is_connection_error(e.getErrorCode())) {
      spdlog::warn("request {}: database connection lost in {} {}: {}", current_request_id(), request.method,
                   request.path, e.what());
      send_error(response, 503, "database_unavailable", "the database is not available; try again shortly");
    } else {
      spdlog::error("request {}: database error in {} {}: {} (error {})", current_request_id(), request.method,
                    request.path, e.what(), e.getErrorCode());
      send_error(response, 500, "internal", "internal server error");
    }
  } catch (const std::exception& e) {
    spdlog::error("request {}: unhandled error in {} {}: {}", current_request_id(), request.method, request.path,
                  e.what());
    send_error(response, 500, "internal", "internal server error");
  } catch (...) {
    spdlog::error("request {}: unhandled error in {} {}: unknown exception", current_request_id(), request.method,
                  request.path);
    send_error(response, 500, "internal", "internal server error");
  }
}

// Errors that cpp-httplib produces itself come with an empty body: no route
// (404), a body over the limit (413), a malformed or unreadable request
// (400, explained as 408 or 431 when it was). Give /api clients (and every
// 413) the JSON error format.
httplib::Server::HandlerResponse library_error(const httplib::Request& request, httplib::Response& response) {
  if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  if (explain_unread_request(request, response)) return httplib::Server::HandlerResponse::Handled;
  const bool api = request.path == "/api" || request.path.rfind("/api/", 0) == 0;
  if (!api && response.status != 413) return httplib::Server::HandlerResponse::Unhandled;
  switch (response.status) {
    case 404:
      send_error(response, 404, "not_found", "no such API endpoint");
      break;
    case 413:
      send_error(response, 413, "payload_too_large", "the request body is too large");
      break;
    default:
      send_error(response, response.status, "bad_request", "the request cannot be handled");
  }
  return httplib::Server::HandlerResponse::Handled;
}

// Session cookies get `Secure` when the server speaks only HTTPS.
SessionOptions cookie_options(const ServerConfig& config) {
  SessionOptions options = config.sessions;
  options.secure_cookie = config.tls.has_value();
  return options;
}

}  // namespace

Server::Server(ServerConfig config, ServerServices services)
    : config_(std::move(config)),
      static_files_(config_.web_root ? std::make_unique<StaticFiles>(*config_.web_root) : nullptr),
      http_(make_bounded_server(config_.connections, config_.tls)),
      sessions_(services.pool, cookie_options(config_)),
      login_throttle_(services.pool, config_.login_throttle),
      forwarding_warning_(config_.login_throttle.trusted_proxies),
      routes_{std::move(services), sessions_} {
  http_->set_payload_max_length(config_.max_body_bytes);
  http_->set_error_handler(httplib::Server::HandlerWithResponse(library_error));
  http_->set_socket_options(reuse_address_only);
  http_->set_exception_handler(error_response);
  http_->set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    start_request_log(response);
    forwarding_warning_.check(request.remote_addr, request.has_header("X-Forwarded-For"));
    if (admit_request(request, response, config_.max_body_bytes) == httplib::Server::HandlerResponse::Handled) {
      return httplib::Server::HandlerResponse::Handled;
    }
    take_over_content_coding(request);
    return check_request_origin(request, response, public_origin_);
  });
  http_->set_post_routing_handler([tls = config_.tls.has_value()](const auto& request, auto& response) {
    add_security_headers(response, tls);
    encode_buffered_body(request, response);
  });
  install_request_log(*http_);
  register_routes();
}

Server::~Server() { stop(); }

void Server::register_routes() {
  http_->Get("/healthz", health_handler(routes_.database_reachable));
  http_->Get("/healthz/live", live_handler());
  http_->Get("/healthz/ready", ready_handler([this] {
               return Readiness{.index_built = routes_.index.current() != nullptr,
                                .database_writable = routes_.runner.database_writable(),
                                .stopping = stop_requested_.load()};
             }));
  register_session_routes(*http_, routes_.pool, sessions_, login_throttle_);
  register_lookup_routes(*http_, routes_);
  register_preview_routes(*http_, routes_);
  register_snapshot_routes(*http_, routes_);
  register_suppression_routes(*http_, routes_);
  if (!config_.metrics_token.empty()) register_metrics_routes(*http_, routes_.index, config_.metrics_token);
  if (config_.metrics_listen) {
    metrics_http_ = make_bounded_server(metrics_connections, std::nullopt);
    metrics_http_->set_socket_options(reuse_address_only);
    register_metrics_routes(*metrics_http_, routes_.index, config_.metrics_token);
  }
  register_send_routes(*http_, routes_);
  register_job_routes(*http_, routes_);
  register_template_routes(*http_, routes_);
  register_division_routes(*http_, routes_);
  register_render_routes(*http_, routes_);
  register_audit_routes(*http_, routes_);
  register_portal_accept_routes(*http_, routes_.pool);
  webhooks_ = make_webhook_context(routes_.webhooks, routes_.pool, routes_.outcomes);
  register_webhook_routes(*http_, *webhooks_);
  // Add API routes above this line: every other /api path is a JSON 404
  // (the GET route here; other methods through library_error).
  http_->Get("/api/.*", [](const httplib::Request&, httplib::Response& response) {
    send_error(response, 404, "not_found", "no such API endpoint");
  });
  // Last: the web bundle answers every GET no other route took.
  if (static_files_) {
    http_->Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
      static_files_->serve(request, response);
    });
  }
}

std::uint16_t Server::bind() {
  const auto& [host, port] = config_.listen;
  const int bound = port == 0 ? http_->bind_to_any_port(host) : (http_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    throw std::runtime_error("cannot listen on " + http_url(host, port) + " (address in use or not local?)");
  }
  port_ = static_cast<std::uint16_t>(bound);
  if (metrics_http_) {
    const auto& [metrics_host, metrics_port] = *config_.metrics_listen;
    const int metrics_bound = metrics_port == 0
                                  ? metrics_http_->bind_to_any_port(metrics_host)
                                  : (metrics_http_->bind_to_port(metrics_host, metrics_port) ? metrics_port : -1);
    if (metrics_bound <= 0) {
      throw std::runtime_error("cannot listen for metrics on " + http_url(metrics_host, metrics_port) +
                               " (address in use or not local?)");
    }
    metrics_port_ = static_cast<std::uint16_t>(metrics_bound);
  }
  // Invite links point at this server unless --base-url says otherwise;
  // a --base-url also names the origin browsers send from behind a proxy.
  public_origin_ = origin_of(routes_.base_url);
  if (routes_.base_url.empty()) routes_.base_url = url();
  return port_;
}

void Server::run() {
  // Phase first, flag second; stop() does the reverse, so one of them sees the other.
  phase_ = Phase::running;
  std::thread metrics;
  if (metrics_http_ && !stop_requested_) metrics = std::thread([this] { metrics_http_->listen_after_bind(); });
  if (!stop_requested_) http_->listen_after_bind();
  if (metrics.joinable()) {
    metrics_http_->wait_until_ready();  // stop() is ignored before the listen starts
    metrics_http_->stop();
    metrics.join();
  }
  phase_ = Phase::finished;
}

void Server::stop() {
  stop_requested_ = true;  // /healthz/ready answers 503 from now on
  if (phase_ == Phase::running && config_.shutdown_grace.count() > 0) {
    spdlog::info("draining: the listener closes in {} s", config_.shutdown_grace.count());
    std::this_thread::sleep_for(config_.shutdown_grace);
  }
  // httplib ignores stop() until listen_after_bind() has started: wait for that.
  while (phase_ == Phase::running && !http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  http_->stop();
}

std::string Server::metrics_url() const {
  return metrics_http_ ? http_url(config_.metrics_listen->host, metrics_port_) + "/metrics" : "";
}

std::string Server::url() const {
  const std::string url = http_url(config_.listen.host, port_);
  return config_.tls ? "https" + url.substr(url.find(':')) : url;
}

}  // namespace invites::http
