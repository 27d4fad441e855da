#include "panels/invite_panel.hpp"

#include "panels/email_preview_panel.hpp"
#include "panels/a11y.hpp"
#include "panels/text_field.hpp"
#include "panels/offline_panel.hpp"
#include "panels/recipients_panel.hpp"
#include "panels/send_dialog.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>
#include <invites/enum_names.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace invites::panels {
namespace {

// The filters card, a form: Enter in it runs Load (its key, for enter_submits()).
semantics::Key filters_card(const app::State& state, app::Actions& actions, float width) {
  const app::InviteForm& form = state.form;
  begin_card("##filters", ImVec2(width, 0), CardHeight::fit_content, "Filters", semantics::Role::form);
  card_heading("Filters");

  const FormRows rows = form_rows(field_width);
  for (const app::ListKind list : app::all_lists) {
    ImGui::PushID(static_cast<int>(list));
    rows.label(app::list_label(list));
    const std::string id = std::string("##") + app::list_label(list);
    multi_select_combo(id.c_str(), state.lookups.list(list), app::ids_of(form.filter, list), rows.field_width,
                       MultiSelectEvents{[&actions, list] { actions.select_all(list); },
                                         [&actions, list](Id item, bool on) { actions.set_selected(list, item, on); }});
    ImGui::PopID();
  }

  ImGui::Spacing();
  for (const app::FlagKind flag : app::all_flags) {
    rows.indent();
    bool on = app::flag_of(form.filter, flag);
    if (checkbox(app::flag_label(flag), &on)) actions.set_flag(flag, on);
  }

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();

  // Email From: prefilled from the division, validated as the user types.
  rows.label("Email From");
  std::string edited;
  if (text_field("##Email From", form.email_from, edited, rows.field_width, "sender@company.com", 0,
                 semantics::InputKind::email))
    actions.set_email_from(edited);
  const std::string problem = app::email_from_problem(form);
  if (!problem.empty()) {
    rows.indent();
    field_problem(problem);
  } else if (form.email_from.empty()) {
    rows.indent();
    wrapped_muted_text("Pick one division to use its address, or type one.");
  }

  // Notification Template.
  rows.label("Notification Template");
  const auto& templates = state.lookups.templates;
  if (templates.empty()) {
    muted_text("No templates yet");
  } else {
    const auto current = std::find_if(templates.begin(), templates.end(), [&](const app::LookupItem& t) {
      return form.template_id && t.id == *form.template_id;
    });
    ImGui::SetNextItemWidth(rows.field_width);
    if (begin_combo("##Notification Template", current == templates.end() ? "Choose\u2026" : current->name.c_str())) {
      for (const app::LookupItem& t : templates) {
        ImGui::PushID(static_cast<int>(t.id));
        if (selectable(t.name.c_str(), current != templates.end() && current->id == t.id, 0, semantics::Role::option))
          actions.set_template(t.id);
        ImGui::PopID();
      }
      end_combo();
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
    wrapped_muted_text("Counting recipients\u2026");
  else
    wrapped_muted_text("Counts the recipients for these filters (Enter).");
  const semantics::Key filters = current_card();
  end_card();
  return filters;
}

const char* count_note(CountGroup group) {
  // Indexed by CountGroup.
  static constexpr std::array<const char*, all_count_groups.size()> notes{
      "No portal account yet", "Invited before, not accepted yet", "Contacts without a usable address; never mailed",
      "Addresses whose portal account is active or disabled",
      "Addresses that bounced or were reported as spam; never mailed until lifted"};
  static_assert(detail::all_named(notes));
  return detail::name_in(notes, group);
}

// One count: caption, big number (a link "count:<group>" that opens its recipient list), note.
void count_tile(const app::State& state, app::Actions& actions, const Fonts& fonts, CountGroup group) {
  const char* caption = app::group_caption(group);
  text(caption);
  const std::string number = grouped_number(state.preview.counts.of(group));
  const std::string link_id = "count:" + std::string(count_group_name(group));
  if (link_button(link_id.c_str(), number.c_str(), fonts.title, std::string(caption) + ": " + number))
    actions.open_recipients(group);
  if (state.recipients.open && state.recipients.group == group) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted_text("(shown below)");
  }
  wrapped_muted_text(count_note(group));
}

// What screen readers say once a Load's counts are on screen.
std::string counts_announcement(const app::Preview& preview) {
  const Counts& c = preview.counts;
  return "Loaded: " + grouped_number(c.new_users) + " new users, " + grouped_number(c.pending_invites) +
         " pending invites, " + grouped_number(c.skipped_invalid_email) + " skipped: invalid email, " +
         grouped_number(c.excluded_existing) + " excluded: existing account, " + grouped_number(c.skipped_suppressed) +
         " skipped: bounced or complained.";
}

void results_card(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  const app::Preview& preview = state.preview;
  begin_card("##results", ImVec2(0, 0), CardHeight::fit_content, "Recipients");
  card_heading("Recipients");

  const bool stale = app::preview_stale(state);
  const bool loading = preview.status == app::LoadStatus::loading;

  if (!preview.has_result) {
    if (loading)
      wrapped_muted_text("Counting recipients\u2026");
    else if (preview.status != app::LoadStatus::failed)
      wrapped_muted_text("Pick the filters and press Load to count the recipients.");
  } else {
    if (stale) {
      ImGui::AlignTextToFramePadding();
      status_dot(Tone::warning);
      announced_text(Tone::warning,
                     state.send.notice.empty() ? "Filters changed \u2014 press Load to refresh"
                                               : "Recipients changed \u2014 press Load again",
                     "stale");
      ImGui::Spacing();
      draw_offline_estimate(state);
    } else if (!loading) {
      announce("load-result", counts_announcement(preview));
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
    draw_result_as_of(state);
    if (!state.recipients.open && !stale) {
      ImGui::Spacing();
      wrapped_muted_text("Click a number to review its recipients.");
    }
  }

  if (preview.status == app::LoadStatus::failed) {
    ImGui::Spacing();
    std::string text = "Load failed: " + preview.error_message;
    if (!preview.error_field.empty()) text += " (field: " + preview.error_field + ")";
    announced_text(Tone::bad, text, "load-failed");
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
      muted_text("Loading the lists\u2026");
      return;
    case app::LoadStatus::failed:
      announced_text(Tone::bad, "The lists could not be loaded: " + state.lookups.error, "lookups");
      if (button("Try again")) actions.load_lookups();
      return;
    case app::LoadStatus::loaded:
      break;
  }

  draw_offline_bar(state, actions);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(20, 16));
  const float avail = ImGui::GetContentRegionAvail().x;
  const float form_w = std::min(std::max(avail * 0.5f, 540.0f), avail);
  const semantics::Key filters = filters_card(state, actions, form_w);
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

  if (enter_submits(filters) && app::can_load(state)) actions.load_preview();
}

}  // namespace invites::panels
