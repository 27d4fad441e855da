#pragma once
// The suppression list (docs/design.md §11): addresses that bounced or were reported
// as spam, with the contacts and accounts that use them, the last outcome
// and the receiving server's words; search, CSV export for correction in
// billing, and lifting a suppression after confirmation.

#include "app/actions.hpp"
#include "app/state.hpp"

namespace invites::panels {

void draw_suppressions_panel(const app::State& state, app::Actions& actions);

}  // namespace invites::panels
