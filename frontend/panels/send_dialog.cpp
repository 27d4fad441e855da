#include "panels/send_dialog.hpp"

#include "app/offline.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

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
  if (ImGui::Checkbox(label, &value)) actions.sending().set_send_group(group, value);
  ImGui::PopID();
  ImGui::EndDisabled();
  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  const std::string n = grouped_number(count);
  ImGui::TextUnformatted(n.c_str());
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
  if (ImGui::Button("Preview email", ImVec2(0, ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.y * 0.8f)))
    actions.sending().open_email_preview();
  ImGui::EndDisabled();
  if (!state.send.notice.empty()) {
    ImGui::Spacing();
    status_dot(Tone::warning);
    tone_text(Tone::warning, state.send.notice);
  } else if (!can) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    if (!offline_reason.empty())
      ImGui::TextDisabled("%s", offline_reason.c_str());
    else if (!state.preview.has_result)
      ImGui::TextDisabled("Load first.");
    else if (app::preview_stale(state))
      ImGui::TextDisabled("Load again to send.");
    else if (state.form.email_from.empty() || !app::email_from_problem(state.form).empty())
      ImGui::TextDisabled("Enter a valid Email From.");
  }
}

void draw_send_dialog(const app::State& state, app::Actions& actions) {
  const app::SendConfirm& confirm = state.send.confirm;
  if (confirm.open && !ImGui::IsPopupOpen(dialog_title)) ImGui::OpenPopup(dialog_title);
  const ImVec2 center = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(460, 0), ImVec2(640, 10000));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(22, 18));
  const bool shown = ImGui::BeginPopupModal(dialog_title, nullptr, ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleVar();
  if (!shown) return;
  if (!confirm.open) {  // closed by an action (sent, 409, cancelled)
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }

  ImGui::TextUnformatted("The invitation email goes to these recipients:");
  ImGui::Spacing();
  if (ImGui::BeginTable("##send-groups", 2, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("group", ImGuiTableColumnFlags_WidthFixed, 260);
    ImGui::TableSetupColumn("count", ImGuiTableColumnFlags_WidthFixed, 120);
    group_row("New users", "send:new_users", confirm.new_users, confirm.counts.new_users, actions, Group::new_users,
              confirm.busy);
    group_row("Pending invites", "send:pending_invites", confirm.pending_invites, confirm.counts.pending_invites,
              actions, Group::pending_invites, confirm.busy);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("Total messages");
    ImGui::TableNextColumn();
    const std::string total = grouped_number(chosen_total(confirm));
    ImGui::TextUnformatted(total.c_str());
    ImGui::EndTable();
  }
  ImGui::Spacing();
  form_label("From", 110);
  ImGui::TextUnformatted(confirm.from_email.c_str());
  form_label("Template", 110);
  ImGui::TextUnformatted(confirm.template_name.empty() ? "(none chosen)" : confirm.template_name.c_str());
  ImGui::Spacing();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 480);
  ImGui::TextDisabled(
      "The server checks that the recipients still match this Load, then mails them in the "
      "background. You can pause or cancel the job while it runs.");
  ImGui::PopTextWrapPos();
  if (!confirm.error.empty()) {
    ImGui::Spacing();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 480);
    tone_text(Tone::bad, confirm.error);
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
  if (ImGui::Button("Cancel", ImVec2(100, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
    actions.sending().cancel_send_dialog();
  ImGui::EndDisabled();
  ImGui::EndPopup();
}

}  // namespace invites::panels
