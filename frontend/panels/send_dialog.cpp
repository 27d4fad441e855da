#include "panels/send_dialog.hpp"

#include "app/offline.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace invites::panels {
namespace {

constexpr const char* dialog_title = "Send invitations?";

std::uint64_t chosen_total(const app::SendConfirm& confirm) {
  return (confirm.new_users ? confirm.counts.new_users : 0) +
         (confirm.pending_invites ? confirm.counts.pending_invites : 0);
}

void group_row(const char* label, const char* id, bool on, std::uint64_t count, app::Actions& actions, Group group,
               bool busy) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  bool value = on && count > 0;
  ImGui::BeginDisabled(busy || count == 0);
  ImGui::PushID(id);
  if (checkbox(label, &value)) actions.sending().set_send_group(group, value);
  ImGui::PopID();
  ImGui::EndDisabled();
  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  text(grouped_number(count));
}

}  // namespace

void draw_send_row(const app::State& state, app::Actions& actions) {
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  const bool can = app::can_send(state);
  if (primary_button("Send Email\u2026", 150, can)) actions.sending().open_send_dialog();
  ImGui::SameLine();
  const bool preview_open = state.send.email.open;
  const std::string offline_reason = app::offline_block_reason(state);  // Send and the preview need the server
  ImGui::BeginDisabled(preview_open || !state.form.template_id || state.offline.offline);
  if (button("Preview email", ImVec2(0, ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.y * 0.8f)))
    actions.sending().open_email_preview();
  ImGui::EndDisabled();
  if (!state.send.notice.empty()) {
    ImGui::Spacing();
    status_dot(Tone::warning);
    announced_text(Tone::warning, state.send.notice, "send-notice");
  } else if (!can) {
    if (!offline_reason.empty()) {
      ImGui::SameLine();
      ImGui::AlignTextToFramePadding();
      wrapped_muted_text(offline_reason);
      return;
    }
    const char* why = !state.preview.has_result   ? "Load first."
                      : app::preview_stale(state) ? "Load again to send."
                      : state.form.email_from.empty() || !app::email_from_problem(state.form).empty()
                          ? "Enter a valid Email From."
                          : nullptr;
    if (!why) return;
    same_line_if_fits(ImGui::CalcTextSize(why).x);
    ImGui::AlignTextToFramePadding();
    muted_text(why);
  }
}

void draw_send_dialog(const app::State& state, app::Actions& actions) {
  const app::SendConfirm& confirm = state.send.confirm;
  if (confirm.open && !ImGui::IsPopupOpen(dialog_title)) ImGui::OpenPopup(dialog_title);
  const ImVec2 center = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  // Narrow screens (a phone) get a dialog that fits.
  const float screen_w = ImGui::GetMainViewport()->Size.x;
  const float min_w = std::min(460.0f, screen_w - 16.0f);
  const float text_w = std::min(480.0f, screen_w - 60.0f);
  ImGui::SetNextWindowSizeConstraints(ImVec2(min_w, 0), ImVec2(std::max(min_w, 640.0f), 10000));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(22, 18));
  const bool shown = begin_dialog(dialog_title, ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleVar();
  if (!shown) return;
  if (!confirm.open) {  // closed by an action (sent, 409, cancelled)
    ImGui::CloseCurrentPopup();
    end_dialog();
    return;
  }

  text("The invitation email goes to these recipients:");
  ImGui::Spacing();
  if (ImGui::BeginTable("##send-groups", 2, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("group", ImGuiTableColumnFlags_WidthFixed, std::min(260.0f, text_w * 0.6f));
    ImGui::TableSetupColumn("count", ImGuiTableColumnFlags_WidthFixed, std::min(120.0f, text_w * 0.35f));
    group_row("New users", "send:new_users", confirm.new_users, confirm.counts.new_users, actions, Group::new_users,
              confirm.busy);
    group_row("Pending invites", "send:pending_invites", confirm.pending_invites, confirm.counts.pending_invites,
              actions, Group::pending_invites, confirm.busy);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    text("Total messages");
    ImGui::TableNextColumn();
    text(grouped_number(chosen_total(confirm)));
    ImGui::EndTable();
  }
  ImGui::Spacing();
  form_label("From", 110);
  text(confirm.from_email);
  form_label("Template", 110);
  text(confirm.template_name.empty() ? "(none chosen)" : confirm.template_name);
  ImGui::Spacing();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + text_w);
  wrapped_muted_text(
      "The server checks that the recipients still match this Load, then mails them in the "
      "background. You can pause or cancel the job while it runs.");
  ImGui::PopTextWrapPos();
  if (!confirm.error.empty()) {
    ImGui::Spacing();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + text_w);
    announced_text(Tone::bad, confirm.error, "send-error");
    ImGui::PopTextWrapPos();
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();

  const std::uint64_t total = chosen_total(confirm);
  const std::string label = confirm.busy
                                ? std::string("Starting\u2026")
                                : "Send " + grouped_number(total) + (total == 1 ? " invitation" : " invitations");
  if (primary_button((label + "###send-confirm").c_str(), 220, !confirm.busy && total > 0))
    actions.sending().confirm_send();
  ImGui::SameLine();
  ImGui::BeginDisabled(confirm.busy);
  if (button("Cancel", ImVec2(100, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
    actions.sending().cancel_send_dialog();
  ImGui::EndDisabled();
  end_dialog();
}

}  // namespace invites::panels
