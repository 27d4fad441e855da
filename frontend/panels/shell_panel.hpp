#pragma once
// The app shell: fills the window with the title, the server status line and
// the build version. Screens (login, filters, recipients, send) will be drawn
// inside its body area, each from its own panel file.

#include "app/actions.hpp"
#include "app/state.hpp"
#include "panels/style.hpp"

namespace invites::panels {

void draw_shell_panel(const app::State& state, app::Actions& actions, const Fonts& fonts);

}  // namespace invites::panels
