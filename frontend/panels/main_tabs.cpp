#include "panels/main_tabs.hpp"

#include "panels/invite_panel.hpp"
#include "panels/job_panel.hpp"
#include "panels/jobs_list_panel.hpp"
#include "panels/no_permission_panel.hpp"
#include "panels/setup_panel.hpp"
#include "panels/suppressions_panel.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

namespace invites::panels {
namespace {

void jobs_tab(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  ImGui::Spacing();
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(20, 16));
  if (state.send.job.open) {
    draw_job_panel(state, actions, fonts);
    ImGui::Spacing();
  }
  draw_jobs_list_panel(state, actions);
  ImGui::PopStyleVar();
}

}  // namespace

void draw_main_tabs(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  const bool invites = app::can_use_invites(state);
  const bool setup = app::can_use_setup(state);
  if (!invites && !setup) {
    draw_no_permission_panel(state, fonts);
    return;
  }

  // ImGui owns the selected tab; the app may ask for another one (state.send.tab).
  // A click selects through show_tab(); a request from the app is applied with
  // SetSelected and wins for the frame ImGui still shows the old tab.
  static app::MainTab shown = app::MainTab::invites;
  const bool app_switch = state.send.tab != shown;
  app::MainTab visible = shown;
  const auto tab = [&](const char* label, app::MainTab which) {
    const ImGuiTabItemFlags flags = app_switch && state.send.tab == which ? ImGuiTabItemFlags_SetSelected : 0;
    if (!begin_tab(label, flags)) return false;
    visible = which;
    if (!app_switch && which != state.send.tab) {
      actions.sending().show_tab(which);
      if (which == app::MainTab::setup) actions.setup().open();
      if (which == app::MainTab::suppressions) actions.suppressions().open();
    }
    return true;
  };

  // The shown screen's menu path, right-aligned on the tab line (no extra row).
  const char* path = shown == app::MainTab::invites ? "Database > Send Bulk Portal Invites"
                     : shown == app::MainTab::setup ? "Setup > System and Security"
                     : shown == app::MainTab::suppressions
                         ? "Database > Send Bulk Portal Invites > Suppressed addresses"
                         : "Database > Send Bulk Portal Invites > Jobs";
  // Left out where it would run into the tabs (a phone).
  const ImVec2 start = ImGui::GetCursorPos();
  const float path_w = ImGui::CalcTextSize(path).x;
  const float tabs_w = button_width("Send Bulk Portal Invites") + button_width("Jobs") +
                       button_width("Suppressed addresses") + button_width("Setup") +
                       ImGui::GetStyle().ItemInnerSpacing.x * 4;
  if (start.x + tabs_w + path_w <= ImGui::GetWindowContentRegionMax().x) {
    ImGui::SetCursorPos(
        ImVec2(ImGui::GetWindowContentRegionMax().x - path_w, start.y + ImGui::GetStyle().FramePadding.y));
    muted_text(path);
    ImGui::SetCursorPos(start);
  }

  if (begin_tab_bar("##main-tabs", "Screens")) {
    if (tab("Send Bulk Portal Invites", app::MainTab::invites)) {
      ImGui::Spacing();
      if (invites)
        draw_invite_panel(state, actions, fonts);
      else
        draw_no_permission_panel(state, fonts);
      end_tab();
    }
    if (invites && tab("Jobs", app::MainTab::jobs)) {
      jobs_tab(state, actions, fonts);
      end_tab();
    }
    if (invites && tab("Suppressed addresses", app::MainTab::suppressions)) {
      ImGui::Spacing();
      draw_suppressions_panel(state, actions);
      end_tab();
    }
    if (setup && tab("Setup", app::MainTab::setup)) {
      ImGui::Spacing();
      draw_setup_panel(state, actions, fonts);
      end_tab();
    }
    end_tab_bar();
  }
  shown = visible;
}

}  // namespace invites::panels
