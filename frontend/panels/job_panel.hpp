#pragma once
// The live job view (docs/design.md §7): progress bar, sent / failed / remaining, rate,
// ETA, Pause / Resume / Cancel / Retry failed, and the failed recipients with
// the mail server's replies. Polled by SendActions::tick while the job runs.

#include "app/actions.hpp"
#include "app/state.hpp"
#include "panels/style.hpp"

namespace invites::panels {

void draw_job_panel(const app::State& state, app::Actions& actions, const Fonts& fonts);

// running → "Sending", with the tone of its badge; nullopt → "Unknown".
const char* job_status_caption(std::optional<JobStatus> status);
Tone job_status_tone(std::optional<JobStatus> status);

}  // namespace invites::panels
