#include "panels/no_permission_panel.hpp"

#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>

namespace invites::panels {

void draw_no_permission_panel(const app::State& state, const Fonts& fonts) {
  muted_text("Database > Send Bulk Portal Invites");
  heading("Send Bulk Portal Invites", fonts.title);
  ImGui::Spacing();

  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(24, 20));
  begin_card("##no_permission", ImVec2(std::min(ImGui::GetContentRegionAvail().x, 720.0f), 0), CardHeight::fit_content,
             "No permission");
  ImGui::PopStyleVar();
  ImGui::AlignTextToFramePadding();
  status_dot(Tone::warning);
  announced_text(Tone::warning, "You cannot send portal invitations", "no-permission");
  ImGui::Spacing();
  wrapped_text(
      "Your account lacks permission 390 'Send Account Portal Invitations'. Ask an administrator to grant it.");
  if (state.session) wrapped_muted_text("Signed in as " + state.session->user.username + ".");
  end_card();
}

}  // namespace invites::panels
