#include "panels/jobs_list_panel.hpp"

#include "panels/job_panel.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <string>

namespace invites::panels {

void draw_jobs_list_panel(const app::State& state, app::Actions& actions) {
  const app::JobList& list = state.send.jobs;
  begin_card("##jobs", ImVec2(0, 0), CardHeight::given, "Past jobs");
  ImGui::AlignTextToFramePadding();
  heading("Past jobs");
  ImGui::BeginDisabled(list.status == app::LoadStatus::loading);
  if (right_aligned_button("Refresh##jobs")) actions.sending().load_jobs();
  ImGui::EndDisabled();
  ImGui::Separator();

  if (list.status == app::LoadStatus::failed)
    announced_text(Tone::bad, "The jobs could not be listed: " + list.error, "jobs-failed");
  if (list.status == app::LoadStatus::loading && list.jobs.empty()) muted_text("Loading the jobs\u2026");
  if (list.status == app::LoadStatus::loaded && list.jobs.empty()) muted_text("No invitations have been sent yet.");
  if (list.jobs.empty()) {
    end_card();
    return;
  }

  constexpr ImGuiTableFlags table_flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                          ImGuiTableFlags_BordersV | ImGuiTableFlags_ScrollY |
                                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;
  if (!begin_grid("##jobs-table", 7, table_flags, ImVec2(0, std::max(160.0f, ImGui::GetContentRegionAvail().y)),
                  "Past jobs", static_cast<std::int64_t>(list.jobs.size()))) {
    end_card();
    return;
  }
  grid_columns({{"Job", 0.5f},
                {"Created", 1.1f},
                {"By", 0.7f},
                {"Template", 1.4f},
                {"Status", 0.9f},
                {"Sent / total", 1.0f},
                {"Failed", 0.5f}});
  std::int64_t index = 0;
  for (const app::Job& job : list.jobs) {
    const bool selected = state.send.job.open && state.send.job.job_id == job.id;
    grid_row(index++, selected);
    grid_control_cell();
    const std::string label = "#" + std::to_string(job.id);
    if (selectable((label + "##job-row").c_str(), selected,
                   ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap))
      actions.sending().open_job(job.id);
#ifdef IMGUI_ENABLE_TEST_ENGINE
    ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), ImGui::GetItemID(),
                                 ("job:" + std::to_string(job.id)).c_str(), 0);
#endif
    time_cell(job.created_at);
    grid_cell(job.created_by);
    grid_cell(job.template_name);
    grid_tone_cell(job_status_tone(job.status), job_status_caption(job.status));
    grid_cell(grouped_number(job.sent) + " / " + grouped_number(job.total));
    if (job.failed)
      grid_tone_cell(Tone::bad, grouped_number(job.failed));
    else
      grid_muted_cell("0");
  }
  end_grid();
  end_card();
}

}  // namespace invites::panels
