#pragma once
// The app: its state and the named actions on it, wired to an HTTP client.

#include "app/actions.hpp"
#include "app/build_info.hpp"
#include "app/state.hpp"

#include <utility>

namespace invites::app {

struct App {
  explicit App(platform::Fetcher fetcher) : actions(state, std::move(fetcher)) {
    state.version = build_version();
  }
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  State state;
  Actions actions;
};

}  // namespace invites::app
