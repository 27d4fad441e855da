#pragma once
// The recipient review (docs/design.md §7): the list behind a count link as a
// virtualized table (ImGuiListClipper; rows fetched in blocks on demand),
// sortable by every column, searchable, exportable to CSV.

#include "app/actions.hpp"
#include "app/state.hpp"

namespace invites::panels {

void draw_recipients_panel(const app::State& state, app::Actions& actions);

// The search box was edited and its debounce has not fired yet: the main loop
// must keep drawing frames until it does (the idle gate would stop them).
bool recipients_search_pending();

}  // namespace invites::panels
