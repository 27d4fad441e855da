#include "panels/shell_panel.hpp"

#include "panels/login_panel.hpp"
#include "panels/main_tabs.hpp"
#include "panels/a11y.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace invites::panels {
namespace {

void server_status_line(const app::ServerState& server, app::Actions& actions) {
  ImGui::AlignTextToFramePadding();
  switch (server.status) {
    case app::ServerStatus::unknown:
    case app::ServerStatus::checking:
      status_dot(Tone::neutral);
      text("Checking the server\u2026");
      break;
    case app::ServerStatus::connected:
      status_dot(Tone::good);
      text("Server: connected");
      break;
    case app::ServerStatus::unreachable:
      status_dot(Tone::bad);
      text("Server unreachable: " + server.problem);
      announce("server", "Server unreachable: " + server.problem);
      ImGui::SameLine();
      if (button("Retry")) actions.retry_server_check();
      break;
  }
}

}  // namespace

void draw_shell_panel(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  constexpr ImGuiWindowFlags window_flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                            ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (!ImGui::Begin("Bulk Portal Invites##shell", nullptr, window_flags)) {
    ImGui::End();
    return;
  }

  // Top bar: product name and server state at the left, the user at the right.
  ImGui::AlignTextToFramePadding();
  heading("Bulk Portal Invites", nullptr, 1);
  ImGui::SameLine(0, 24);
  server_status_line(state.server, actions);
  if (state.session) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const std::string who = state.session->user.username;
    const float button_w = ImGui::CalcTextSize("Sign out").x + style.FramePadding.x * 2;
    const float right_w =
        ImGui::CalcTextSize("Signed in as").x + ImGui::CalcTextSize(who.c_str()).x + style.ItemSpacing.x * 2 + button_w;
    same_line_if_fits(right_w);  // a phone: the user on a line of its own
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - right_w));
    ImGui::AlignTextToFramePadding();
    muted_text("Signed in as");
    ImGui::SameLine();
    text(who);
    ImGui::SameLine();
    if (button("Sign out")) actions.sign_out();
  }
  ImGui::Separator();

  // Body: the current screen.
  const float footer_h = ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  ImGui::BeginChild("##body", ImVec2(0, -footer_h), ImGuiChildFlags_None, ImGuiWindowFlags_NoBackground);
  {
    a11y::Scope main(semantics::Role::main, "");
    ImGui::Spacing();
    switch (state.screen) {
      case app::Screen::starting:
        muted_text("Restoring your session\u2026");
        break;
      case app::Screen::login:
        draw_login_panel(state, actions, fonts);
        break;
      case app::Screen::main:
        draw_main_tabs(state, actions, fonts);  // the invite form, Jobs, Setup
        break;
    }
  }
  ImGui::EndChild();

  ImGui::Separator();
  muted_text("Version " + state.version);
  ImGui::End();
}

}  // namespace invites::panels
