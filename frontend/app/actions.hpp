#pragma once
// Named actions: the only way the UI changes app state. Each action updates
// State at once (e.g. "checking…") and may start requests whose results
// update State later, from the main loop.

#include "app/state.hpp"
#include "platform/fetch.hpp"

namespace invites::app {

class Actions {
 public:
  Actions(State& state, platform::Fetcher fetcher);

  // GET /healthz; no-op while a check is already running.
  void check_server();
  // The user asked to check again (the Retry button).
  void retry_server_check();

 private:
  void on_health_result(platform::FetchResult&& result);

  State& state_;
  platform::Fetcher fetch_;
};

}  // namespace invites::app
