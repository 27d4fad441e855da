#include "panels/jobs_list_panel.hpp"

#include "panels/job_panel.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <invites/utc_time.hpp>

#include <algorithm>
#include <string>

namespace invites::panels {

void draw_jobs_list_panel(const app::State& state, app::Actions& actions) {
  const app::JobList& list = state.send.jobs;
  begin_card("##jobs", ImVec2(0, 0));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Past jobs");
  ImGui::BeginDisabled(list.status == app::LoadStatus::loading);
  if (right_aligned_button("Refresh##jobs")) actions.sending().load_jobs();
  ImGui::EndDisabled();
  ImGui::Separator();

  if (list.status == app::LoadStatus::failed) tone_text(Tone::bad, "The jobs could not be listed: " + list.error);
  if (list.status == app::LoadStatus::loading && list.jobs.empty()) ImGui::TextDisabled("Loading the jobs\u2026");
  if (list.status == app::LoadStatus::loaded && list.jobs.empty())
    ImGui::TextDisabled("No invitations have been sent yet.");
  if (list.jobs.empty()) {
    end_card();
    return;
  }

  if (begin_list_table("##jobs-table",
                       {{"Job", 0.5f},
                        {"Created", 1.1f},
                        {"By", 0.7f},
                        {"Template", 1.4f},
                        {"Status", 0.9f},
                        {"Sent / total", 1.0f},
                        {"Failed", 0.5f}},
                       std::max(160.0f, ImGui::GetContentRegionAvail().y))) {
    for (const app::Job& job : list.jobs) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const bool selected = state.send.job.open && state.send.job.job_id == job.id;
      const std::string label = "#" + std::to_string(job.id);
      if (ImGui::Selectable((label + "##job-row").c_str(), selected,
                            ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap))
        actions.sending().open_job(job.id);
#ifdef IMGUI_ENABLE_TEST_ENGINE
      ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), ImGui::GetItemID(),
                                   ("job:" + std::to_string(job.id)).c_str(), 0);
#endif
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(short_utc(job.created_at).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(job.created_by.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(job.template_name.c_str());
      ImGui::TableNextColumn();
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(tone_color(job_status_tone(job.status))));
      ImGui::TextUnformatted(job_status_caption(job.status));
      ImGui::PopStyleColor();
      ImGui::TableNextColumn();
      ImGui::Text("%s / %s", grouped_number(job.sent).c_str(), grouped_number(job.total).c_str());
      ImGui::TableNextColumn();
      if (job.failed)
        tone_text(Tone::bad, grouped_number(job.failed));
      else
        ImGui::TextDisabled("0");
    }
    ImGui::EndTable();
  }
  end_card();
}

}  // namespace invites::panels
