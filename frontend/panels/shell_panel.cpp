#include "panels/shell_panel.hpp"

#include <imgui.h>

namespace invites::panels {
namespace {

void status_dot(Tone tone) {
  const float radius = ImGui::GetFontSize() * 0.28f;
  const float frame_h = ImGui::GetFrameHeight();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(pos.x + radius, pos.y + frame_h * 0.5f), radius,
                                              tone_color(tone));
  ImGui::Dummy(ImVec2(radius * 2, frame_h));
  ImGui::SameLine();
}

void server_status_line(const app::ServerState& server, app::Actions& actions) {
  ImGui::AlignTextToFramePadding();
  switch (server.status) {
    case app::ServerStatus::Unknown:
    case app::ServerStatus::Checking:
      status_dot(Tone::Neutral);
      ImGui::TextUnformatted("Checking the server\u2026");
      break;
    case app::ServerStatus::Connected:
      status_dot(Tone::Good);
      ImGui::TextUnformatted("Server: connected");
      break;
    case app::ServerStatus::Unreachable:
      status_dot(Tone::Bad);
      ImGui::Text("Server unreachable: %s", server.problem.c_str());
      ImGui::SameLine();
      if (ImGui::Button("Retry")) actions.retry_server_check();
      break;
  }
}

}  // namespace

void draw_shell_panel(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (!ImGui::Begin("Bulk Portal Invites##shell", nullptr, kFlags)) {
    ImGui::End();
    return;
  }

  if (fonts.title) ImGui::PushFont(fonts.title);
  ImGui::TextUnformatted("Bulk Portal Invites");
  if (fonts.title) ImGui::PopFont();
  server_status_line(state.server, actions);
  ImGui::Separator();

  // Body: the current screen goes here (login, then the invite form).
  const float footer_h = ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  ImGui::BeginChild("##body", ImVec2(0, -footer_h), ImGuiChildFlags_None, ImGuiWindowFlags_NoBackground);
  ImGui::EndChild();

  ImGui::Separator();
  ImGui::TextDisabled("Version %s", state.version.c_str());
  ImGui::End();
}

}  // namespace invites::panels
