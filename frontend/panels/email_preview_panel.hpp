#pragma once
// Email preview (docs/design.md §7): the selected template rendered for a chosen
// recipient of the Load (subject, text body; the HTML in a new tab) and a
// test send to a typed address.

#include "app/actions.hpp"
#include "app/state.hpp"
#include "panels/style.hpp"

namespace invites::panels {

void draw_email_preview_panel(const app::State& state, app::Actions& actions, const Fonts& fonts);

}  // namespace invites::panels
