#include "app/actions.hpp"

#include <utility>

namespace invites::app {

namespace {
constexpr int kHealthTimeoutMs = 5000;
}

const char* to_string(ServerStatus status) {
  switch (status) {
    case ServerStatus::Unknown: return "unknown";
    case ServerStatus::Checking: return "checking";
    case ServerStatus::Connected: return "connected";
    case ServerStatus::Unreachable: return "unreachable";
  }
  return "unknown";
}

Actions::Actions(State& state, platform::Fetcher fetcher)
    : state_(state), fetch_(std::move(fetcher)) {}

void Actions::check_server() {
  if (state_.server.status == ServerStatus::Checking) return;
  state_.server.status = ServerStatus::Checking;
  ++state_.server.checks;

  platform::FetchRequest request;
  request.url = "/healthz";
  request.timeout_ms = kHealthTimeoutMs;
  fetch_(std::move(request), [this](platform::FetchResult&& result) { on_health_result(std::move(result)); });
}

void Actions::retry_server_check() { check_server(); }

void Actions::on_health_result(platform::FetchResult&& result) {
  if (result.ok()) {
    state_.server.status = ServerStatus::Connected;
    state_.server.problem.clear();
  } else {
    state_.server.status = ServerStatus::Unreachable;
    state_.server.problem = result.error.empty() ? "HTTP " + std::to_string(result.status) : result.error;
  }
}

}  // namespace invites::app
