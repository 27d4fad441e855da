#include "panels/login_panel.hpp"

#include "panels/a11y.hpp"
#include "panels/text_field.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace invites::panels {
namespace {

constexpr float card_width = 400.0f;

}  // namespace

void draw_login_panel(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  const app::LoginForm& login = state.login;

  // A card centered horizontally, a third down the body.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float width = std::min(card_width, avail.x);
  ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + (avail.x - width) * 0.5f,
                             ImGui::GetCursorPosY() + std::max(0.0f, avail.y * 0.12f)));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(28, 24));
  begin_card("##login_card", ImVec2(width, 0), CardHeight::fit_content, "Sign in", semantics::Role::form);
  ImGui::PopStyleVar();

  heading("Sign in", fonts.title);
  muted_text("Use your staff account.");
  ImGui::Spacing();

  if (!login.notice.empty()) {
    announced_text(Tone::info, login.notice, "login-notice");
    ImGui::Spacing();
  }

  // Each visit of the screen focuses the first empty field.
  static bool focus_username = false;
  static bool focus_password = false;
  if (frames_since_shown("login") == 0) {
    focus_username = login.username.empty();
    focus_password = !focus_username;
  }
  std::string edited;

  field_label("Username");
  if (focus_username) {
    a11y::focus_next_item();
    focus_username = false;
  }
  if (text_field("##username", login.username, edited, -1, nullptr, 0, semantics::InputKind::username))
    actions.set_login_username(edited);
  const bool enter_in_username = field_submitted();
  ImGui::Spacing();

  field_label("Password");
  if (focus_password) {
    a11y::focus_next_item();
    focus_password = false;
  }
  if (text_field("##password", login.password, edited, -1, nullptr, ImGuiInputTextFlags_Password,
                 semantics::InputKind::current_password))
    actions.set_login_password(edited);
  const bool enter_in_password = field_submitted();
  ImGui::Spacing();

  if (!login.error.empty()) {
    announced_text(Tone::bad, login.error, "login-error");
    ImGui::Spacing();
  }

  ImGui::Spacing();
  const bool can_submit = !login.busy;
  bool submit = primary_button("Sign in", -1, can_submit);
  if (login.busy) muted_text("Signing in\u2026");
  if (enter_in_username && login.password.empty()) {
    focus_password = true;  // Enter in the username goes on to the password
  } else if (enter_in_username || enter_in_password) {
    submit = submit || can_submit;
  }
  if (submit) actions.submit_login();
  end_card();
}

}  // namespace invites::panels
