#pragma once
// The signed-in screen: tabs "Send Bulk Portal Invites" (the form, or the
// missing-permission explanation), "Jobs" (permission 390: the live job view
// and past jobs) and "Setup" (permission 120). The app may switch tabs (a
// started send shows its job).

#include "app/actions.hpp"
#include "app/state.hpp"
#include "panels/style.hpp"

namespace invites::panels {

void draw_main_tabs(const app::State& state, app::Actions& actions, const Fonts& fonts);

}  // namespace invites::panels
