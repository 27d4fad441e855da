#pragma once
// The offline preview's parts of the Send Bulk Portal Invites screen: the
// offline bar (state of the copy in this browser, progress, Refresh, Preview
// offline / Back online, why Send is disabled) and the live estimate.
#include "app/actions.hpp"
#include "app/state.hpp"

#include <string>

namespace invites::panels {

void draw_offline_bar(const app::State& state, app::Actions& actions);
// Beside stale server counts: the counts of the cached snapshot for the filters on screen.
void draw_offline_estimate(const app::State& state);
// "Data as of …" of the loaded result, "Offline preview — data as of …" when offline
// (in the browser's time zone, UTC in its accessible name).
void draw_result_as_of(const app::State& state);

}  // namespace invites::panels
