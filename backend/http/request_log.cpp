#include "http/request_log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>

#include <spdlog/spdlog.h>

#include "security/log_text.hpp"
#include "service/metrics.hpp"

namespace invites::http {
namespace {

using Clock = std::chrono::steady_clock;

// cpp-httplib handles a request from routing to logging on one worker
// thread, so the start time can live in a thread_local between the two hooks.
thread_local std::optional<Clock::time_point> request_started;
thread_local std::string request_id = "-";

// Unique per process start and request: a random prefix and a counter.
std::string next_request_id() {
  static const std::string prefix = [] {
    std::random_device random;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", random());
    return std::string(hex);
  }();
  static std::atomic<std::uint64_t> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

// Quotes values with spaces or quotes and escapes control characters, so a
// crafted path cannot forge extra fields or log lines.
std::string logfmt_value(std::string_view text) {
  bool needs_quotes = text.empty();
  std::string quoted;
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
    if (c == '"' || c == '\\' || c == ' ' || c == '=') needs_quotes = true;
  }
  const std::string escaped = security::escape_control_characters(quoted);
  return needs_quotes || escaped != quoted ? '"' + escaped + '"' : escaped;
}

}  // namespace

void start_request_log(httplib::Response& response) {
  request_started = Clock::now();
  request_id = next_request_id();
  response.set_header("X-Request-Id", request_id);
}

void install_request_log(httplib::Server& server) {
  server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
    service::Metrics::instance().count_request(response.status);
    double duration_ms = 0;
    if (request_started) {
      duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - *request_started).count();
      request_started.reset();
    }
    spdlog::info("http_request id={} method={} path={} status={} duration_ms={:.2f} bytes={} remote={}", request_id,
                 logfmt_value(request.method), logfmt_value(request.path), response.status, duration_ms,
                 response.body.size(), logfmt_value(request.remote_addr));
    request_id = "-";
  });
}

const std::string& current_request_id() { return request_id; }

}  // namespace invites::http
