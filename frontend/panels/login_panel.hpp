#pragma once
// The login screen: username, password, Sign in; the server's message for a
// failed attempt and the reason the user is here (session expired, signed out).

#include "app/actions.hpp"
#include "app/state.hpp"
#include "panels/style.hpp"

namespace invites::panels {

void draw_login_panel(const app::State& state, app::Actions& actions, const Fonts& fonts);

}  // namespace invites::panels
