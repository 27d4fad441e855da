#pragma once
// The app: its state and the named actions on it, wired to an HTTP client.

#include "app/actions.hpp"
#include "app/build_info.hpp"
#include "app/offline.hpp"
#include "app/state.hpp"

#include <utility>

namespace invites::app {

struct App {
  // `snapshots` (may be null): the offline copy's download and store; the
  // actions' requests go through `offline`, which answers them when offline.
  explicit App(Fetcher fetcher, UrlOpener open_url = {}, SnapshotPlatform* snapshots = nullptr)
      : offline(state, std::move(fetcher), snapshots),
        actions(state, offline.fetcher(), offline.url_opener(std::move(open_url))) {
    offline.attach(actions);
    actions.attach_offline(offline);
    state.version = build_version();
  }
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  State state;
  Offline offline;
  Actions actions;
};

}  // namespace invites::app
