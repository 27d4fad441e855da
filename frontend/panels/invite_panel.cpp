#include "panels/invite_panel.hpp"

#include "panels/email_preview_panel.hpp"
#include "panels/offline_panel.hpp"
#include "panels/recipients_panel.hpp"
#include "panels/send_dialog.hpp"
#include "panels/text_field.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace invites::panels {
namespace {

void heading(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::Separator();
  ImGui::Spacing();
}

void filters_card(const app::State& state, app::Actions& actions, float width) {
  const app::InviteForm& form = state.form;
  begin_card("##filters", ImVec2(width, 0), CardHeight::fit_content);
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
  std::string edited;
  if (text_field("##Email From", form.email_from, edited, field_w, "sender@company.com"))
    actions.set_email_from(std::move(edited));
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
  end_card();
}

const char* count_note(CountGroup group) {
  switch (group) {
    case CountGroup::new_users:
      return "No portal account yet";
    case CountGroup::pending_invites:
      return "Invited before, not accepted yet";
    case CountGroup::skipped_invalid_email:
      return "Contacts without a usable address; never mailed";
    case CountGroup::excluded_existing:
      return "Addresses whose portal account is active or disabled";
    case CountGroup::skipped_suppressed:
      return "Addresses that bounced or were reported as spam; never mailed until lifted";
  }
  return "";
}

// One count: caption, big number (a link "count:<group>" that opens its recipient list), note.
void count_tile(const app::State& state, app::Actions& actions, const Fonts& fonts, CountGroup group) {
  ImGui::TextUnformatted(app::group_caption(group));
  const std::string number = grouped_number(state.preview.counts.of(group));
  const std::string link_id = "count:" + std::string(count_group_name(group));
  if (link_button(link_id.c_str(), number.c_str(), fonts.title)) actions.open_recipients(group);
  if (state.recipients.open && state.recipients.group == group) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("(shown below)");
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", count_note(group));
  ImGui::PopTextWrapPos();
}

void results_card(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  const app::Preview& preview = state.preview;
  begin_card("##results", ImVec2(0, 0), CardHeight::fit_content);
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
      // Two per row, in the API's order: the mailed groups first.
      for (std::size_t i = 0; i < all_count_groups.size(); ++i) {
        if (i % 2 == 0) ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (i >= 2) ImGui::Dummy(ImVec2(0, 6));
        count_tile(state, actions, fonts, all_count_groups[i]);
      }
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
  end_card();
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

  draw_offline_bar(state, actions);
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
