#include "panels/no_permission_panel.hpp"

#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>

namespace invites::panels {

void draw_no_permission_panel(const app::State& state, const Fonts& fonts) {
  ImGui::TextDisabled("Database > Send Bulk Portal Invites");
  if (fonts.title) ImGui::PushFont(fonts.title);
  ImGui::TextUnformatted("Send Bulk Portal Invites");
  if (fonts.title) ImGui::PopFont();
  ImGui::Spacing();

  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(24, 20));
  begin_card("##no_permission", ImVec2(std::min(ImGui::GetContentRegionAvail().x, 720.0f), 0), CardHeight::fit_content);
  ImGui::PopStyleVar();
  ImGui::AlignTextToFramePadding();
  status_dot(Tone::warning);
  ImGui::TextUnformatted("You cannot send portal invitations");
  ImGui::Spacing();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(
      "Your account lacks permission 390 'Send Account Portal Invitations'. Ask an administrator to grant it.");
  if (state.session) ImGui::TextDisabled("Signed in as %s.", state.session->user.username.c_str());
  ImGui::PopTextWrapPos();
  end_card();
}

}  // namespace invites::panels
