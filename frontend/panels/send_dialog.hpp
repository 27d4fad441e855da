#pragma once
// Send Email (docs/design.md §7): the action row under the counts (Preview email,
// Send Email…, the 409 notice) and the confirmation dialog (counts per group
// with a checkbox each, from address, template).

#include "app/actions.hpp"
#include "app/state.hpp"

namespace invites::panels {

void draw_send_row(const app::State& state, app::Actions& actions);
void draw_send_dialog(const app::State& state, app::Actions& actions);

}  // namespace invites::panels
