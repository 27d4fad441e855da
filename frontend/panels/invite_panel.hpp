#pragma once
// The Send Bulk Portal Invites screen (menu path "Database > Send Bulk Portal
// Invites"): the filters of docs/design.md §1, Email From, Notification Template, Load,
// and the counts of the last Load (stale once a filter changes).

#include "app/actions.hpp"
#include "app/state.hpp"
#include "panels/style.hpp"

namespace invites::panels {

void draw_invite_panel(const app::State& state, app::Actions& actions, const Fonts& fonts);

}  // namespace invites::panels
