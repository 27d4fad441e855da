#pragma once
// The app: its state and the named actions on it, wired to an HTTP client.

#include "app/actions.hpp"
#include "app/build_info.hpp"
#include "app/state.hpp"

#include <utility>

namespace invites::app {

struct App {
  explicit App(platform::Fetcher fetcher, UrlOpener open_url = {})
      : actions(state, std::move(fetcher), std::move(open_url)) {
    state.version = build_version();
  }
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  State state;
  Actions actions;
};

}  // namespace invites::app
