#pragma once
// Shown instead of the Send Bulk Portal Invites form to users without
// permission 390.

#include "app/state.hpp"
#include "panels/style.hpp"

namespace invites::panels {

void draw_no_permission_panel(const app::State& state, const Fonts& fonts);

}  // namespace invites::panels
