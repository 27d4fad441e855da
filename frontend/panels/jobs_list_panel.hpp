#pragma once
// The list of past send jobs (GET /api/jobs, newest first); a row opens its
// job view.

#include "app/actions.hpp"
#include "app/state.hpp"

namespace invites::panels {

void draw_jobs_list_panel(const app::State& state, app::Actions& actions);

}  // namespace invites::panels
