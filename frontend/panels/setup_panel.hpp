#pragma once
// Setup (permission 120 "Setup \ System and Security"): notification
// templates (list; editor with the merge-field list and a live preview
// rendered locally by common/) and the division sender addresses.

#include "app/actions.hpp"
#include "app/state.hpp"
#include "panels/style.hpp"

namespace invites::panels {

void draw_setup_panel(const app::State& state, app::Actions& actions, const Fonts& fonts);

}  // namespace invites::panels
