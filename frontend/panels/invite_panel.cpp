#include "panels/invite_panel.hpp"

#include "panels/email_preview_panel.hpp"
#include "panels/offline_panel.hpp"
#include "panels/recipients_panel.hpp"
#include "panels/send_dialog.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

namespace invites::panels {
namespace {

constexpr ImGuiChildFlags card_flags =
    ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysUseWindowPadding;

void heading(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::Separator();
  ImGui::Spacing();
}

void filters_card(const app::State& state, app::Actions& actions, float width) {
  const app::InviteForm& form = state.form;
  ImGui::BeginChild("##filters", ImVec2(width, 0), card_flags);
  heading("Filters");

  const float field_w = std::min(field_width, ImGui::GetContentRegionAvail().x - form_label_width);
  for (const app::ListKind list : app::all_lists) {
    ImGui::PushID(static_cast<int>(list));
    form_label(app::list_label(list), form_label_width);
    const std::string id = std::string("##") + app::list_label(list);
    multi_select_combo(id.c_str(), state.lookups.list(list), app::ids_of(form.filter, list), field_w,
                       MultiSelectEvents{[&actions, list] { actions.select_all(list); },
                                         [&actions, list](Id item, bool on) { actions.set_selected(list, item, on); }});
    ImGui::PopID();
  }

  ImGui::Spacing();
  for (const app::FlagKind flag : app::all_flags) {
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + form_label_width - ImGui::GetStyle().WindowPadding.x);
    bool on = app::flag_of(form.filter, flag);
    if (ImGui::Checkbox(app::flag_label(flag), &on)) actions.set_flag(flag, on);
  }

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();

  // Email From: prefilled from the division, validated as the user types.
  form_label("Email From", form_label_width);
  char buffer[256];
  const std::size_t n = std::min(form.email_from.size(), sizeof buffer - 1);
  std::memcpy(buffer, form.email_from.data(), n);
  buffer[n] = '\0';
  ImGui::SetNextItemWidth(field_w);
  if (ImGui::InputTextWithHint("##Email From", "sender@company.com", buffer, sizeof buffer))
    actions.set_email_from(buffer);
  const std::string problem = app::email_from_problem(form);
  const float label_x = ImGui::GetCursorPosX() + form_label_width - ImGui::GetStyle().WindowPadding.x;
  if (!problem.empty()) {
    ImGui::SetCursorPosX(label_x);
    tone_text(Tone::bad, problem);
  } else if (form.email_from.empty()) {
    ImGui::SetCursorPosX(label_x);
    ImGui::TextDisabled("Pick one division to use its address, or type one.");
  }

  // Notification Template.
  form_label("Notification Template", form_label_width);
  const auto& templates = state.lookups.templates;
  if (templates.empty()) {
    ImGui::TextDisabled("No templates yet");
  } else {
    const auto current = std::find_if(templates.begin(), templates.end(), [&](const app::LookupItem& t) {
      return form.template_id && t.id == *form.template_id;
    });
    ImGui::SetNextItemWidth(field_w);
    if (begin_combo("##Notification Template", current == templates.end() ? "Choose\u2026" : current->name.c_str())) {
      for (const app::LookupItem& t : templates) {
        ImGui::PushID(static_cast<int>(t.id));
        if (ImGui::Selectable(t.name.c_str(), current != templates.end() && current->id == t.id))
          actions.set_template(t.id);
        ImGui::PopID();
      }
      ImGui::EndCombo();
    }
  }

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  const bool loading = state.preview.status == app::LoadStatus::loading;
  if (primary_button("Load", 140, app::can_load(state))) actions.load_preview();
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  if (loading)
    ImGui::TextDisabled("Counting recipients\u2026");
  else
    ImGui::TextDisabled("Counts the recipients for these filters (Enter).");
  ImGui::EndChild();
}

// One count: caption, big number (a link that opens its recipient list), note.
void count_tile(const app::State& state, app::Actions& actions, const Fonts& fonts, const char* caption,
                std::uint64_t value, const char* note, const char* link_id, app::RecipientGroup group) {
  ImGui::TextUnformatted(caption);
  const std::string number = grouped_number(value);
  if (link_button(link_id, number.c_str(), fonts.title)) actions.open_recipients(group);
  if (state.recipients.open && state.recipients.group == group) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("(shown below)");
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", note);
  ImGui::PopTextWrapPos();
}

void results_card(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  const app::Preview& preview = state.preview;
  ImGui::BeginChild("##results", ImVec2(0, 0), card_flags);
  heading("Recipients");

  const bool stale = app::preview_stale(state);
  const bool loading = preview.status == app::LoadStatus::loading;

  if (!preview.has_result) {
    ImGui::PushTextWrapPos(0.0f);
    if (loading)
      ImGui::TextDisabled("Counting recipients\u2026");
    else if (preview.status != app::LoadStatus::failed)
      ImGui::TextDisabled("Pick the filters and press Load to count the recipients.");
    ImGui::PopTextWrapPos();
  } else {
    if (stale) {
      ImGui::AlignTextToFramePadding();
      status_dot(Tone::warning);
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(tone_color(Tone::warning)));
      ImGui::TextUnformatted(state.send.notice.empty() ? "Filters changed \u2014 press Load to refresh"
                                                       : "Recipients changed \u2014 press Load again");
      ImGui::PopStyleColor();
      ImGui::Spacing();
      draw_offline_estimate(state);
    }
    ImGui::BeginDisabled(stale || loading);
    if (ImGui::BeginTable("##counts", 2, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_PadOuterX)) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      count_tile(state, actions, fonts, "New users", preview.counts.new_users, "No portal account yet",
                 "count:new_users", app::RecipientGroup::new_users);
      ImGui::TableNextColumn();
      count_tile(state, actions, fonts, "Pending invites", preview.counts.pending_invites,
                 "Invited before, not accepted yet", "count:pending_invites", app::RecipientGroup::pending_invites);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Dummy(ImVec2(0, 6));
      count_tile(state, actions, fonts, "Skipped: invalid email", preview.counts.skipped_invalid_email,
                 "Contacts without a usable address; never mailed", "count:skipped_invalid_email",
                 app::RecipientGroup::skipped_invalid_email);
      ImGui::TableNextColumn();
      ImGui::Dummy(ImVec2(0, 6));
      count_tile(state, actions, fonts, "Excluded: existing account", preview.counts.excluded_existing,
                 "Addresses whose portal account is active or disabled", "count:excluded_existing",
                 app::RecipientGroup::excluded_existing);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Dummy(ImVec2(0, 6));
      count_tile(state, actions, fonts, "Skipped: bounced or complained", preview.counts.skipped_suppressed,
                 "Addresses that bounced or were reported as spam; never mailed until lifted",
                 "count:skipped_suppressed", app::RecipientGroup::skipped_suppressed);
      ImGui::EndTable();
    }
    ImGui::EndDisabled();
    ImGui::Spacing();
    ImGui::TextDisabled("%s", result_as_of_label(state).c_str());
    if (!state.recipients.open && !stale) {
      ImGui::Spacing();
      ImGui::TextDisabled("Click a number to review its recipients.");
    }
  }

  if (preview.status == app::LoadStatus::failed) {
    ImGui::Spacing();
    std::string text = "Load failed: " + preview.error_message;
    if (!preview.error_field.empty()) text += " (field: " + preview.error_field + ")";
    tone_text(Tone::bad, text);
  }
  draw_send_row(state, actions);  // Send Email…, Preview email
  ImGui::EndChild();
}

}  // namespace

void draw_invite_panel(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  // The screen's name is its tab; its menu path is on the tab line (panels/main_tabs.cpp).

  switch (state.lookups.status) {
    case app::LoadStatus::idle:
    case app::LoadStatus::loading:
      ImGui::TextDisabled("Loading the lists\u2026");
      return;
    case app::LoadStatus::failed:
      tone_text(Tone::bad, "The lists could not be loaded: " + state.lookups.error);
      if (ImGui::Button("Try again")) actions.load_lookups();
      return;
    case app::LoadStatus::loaded:
      break;
  }

  draw_offline_bar(state);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(20, 16));
  const float avail = ImGui::GetContentRegionAvail().x;
  const float form_w = std::min(std::max(avail * 0.5f, 540.0f), avail);
  filters_card(state, actions, form_w);
  if (avail - form_w > 300) ImGui::SameLine();
  results_card(state, actions, fonts);
  ImGui::PopStyleVar();

  if (state.send.email.open) {
    ImGui::Spacing();
    draw_email_preview_panel(state, actions, fonts);
  }
  if (state.recipients.open) {
    ImGui::Spacing();
    draw_recipients_panel(state, actions);
  }
  draw_send_dialog(state, actions);

  if (enter_submits() && app::can_load(state)) actions.load_preview();
}

}  // namespace invites::panels
