#include "panels/suppressions_panel.hpp"

#include "panels/text_field.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace invites::panels {
namespace {

constexpr const char* lift_popup_id = "Lift this suppression?";

// The search typed but not applied yet (Enter or the Search button applies it).
std::string typed_search;
bool typing = false;

std::string contacts_text(const app::SuppressedAddress& row) {
  if (row.contacts.empty()) return "no contact uses it any more";
  std::string out;
  for (const app::SuppressedContact& c : row.contacts) {
    if (!out.empty()) out += "; ";
    out += c.first_name + (c.first_name.empty() || c.last_name.empty() ? "" : " ") + c.last_name + " (#" +
           std::to_string(c.contact_id) + "), account " + c.account_number + " " + c.account_name;
  }
  return out;
}

void tool_line(const app::SuppressionList& list, app::Actions& actions) {
  if (!typing) typed_search = list.search;
  std::string edited;
  ImGui::AlignTextToFramePadding();
  field_label("Address contains");
  ImGui::SameLine();
  if (text_field("##suppression-search", typed_search, edited, 260.0f, "part of an address", 0,
                 semantics::InputKind::search)) {
    typed_search = edited;
    typing = true;
  }
  const bool enter = field_submitted();
  ImGui::SameLine();
  if (button("Search##suppressions") || enter) {
    typing = false;
    actions.suppressions().set_search(typed_search);
  }
  same_line_if_fits(button_width("Include lifted") + ImGui::GetFrameHeight());
  bool include_lifted = list.include_lifted;
  if (checkbox("Include lifted", &include_lifted)) actions.suppressions().set_include_lifted(include_lifted);
  same_line_if_fits(button_width("Export CSV"));
  if (button("Export CSV##suppressions")) actions.suppressions().export_csv();
  same_line_if_fits(button_width("Refresh"));
  ImGui::BeginDisabled(list.status == app::LoadStatus::loading);
  if (button("Refresh##suppressions")) actions.suppressions().reload();
  ImGui::EndDisabled();
}

void lift_popup(const app::SuppressionList& list, app::Actions& actions) {
  if (list.confirm_lift && !ImGui::IsPopupOpen(lift_popup_id)) ImGui::OpenPopup(lift_popup_id);
  if (!begin_dialog(lift_popup_id, ImGuiWindowFlags_AlwaysAutoResize)) return;
  const std::string email = list.confirm_lift.value_or("");
  text(email + " will be invited again by the next Send that includes it.");
  text("Lift only after the address was corrected or confirmed. The lift is audited.");
  ImGui::Spacing();
  if (button("Lift the suppression", ImVec2(200, 0))) {
    actions.suppressions().confirm_lift();
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (button("Keep it suppressed", ImVec2(180, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape, false)) {
    actions.suppressions().cancel_lift();
    ImGui::CloseCurrentPopup();
  }
  end_dialog();
}

std::string outcome_text(const app::SuppressedAddress& row) {
  return std::string(app::outcome_kind_caption(row.last_kind)) +
         (row.last_status.empty() ? "" : " " + row.last_status) + " via " + row.last_source +
         (row.last_diagnostic.empty() ? "" : ": " + row.last_diagnostic);
}

void rows_table(const app::SuppressionList& list, app::Actions& actions) {
  constexpr ImGuiTableFlags table_flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                          ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable |
                                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (!begin_grid("##suppressions-table", 6, table_flags,
                  ImVec2(0, std::max(200.0f, ImGui::GetContentRegionAvail().y - 40.0f)), "Suppressed addresses",
                  static_cast<std::int64_t>(list.rows.size())))
    return;
  grid_columns({{"Address", 1.4f},
                {"Reason", 0.8f},
                {"Last outcome", 2.4f},
                {"Date", 0.8f},
                {"Contacts and accounts", 2.2f},
                {"Lift", 0.4f}});
  std::int64_t index = 0;
  for (const app::SuppressedAddress& row : list.rows) {
    ImGui::PushID(row.email.c_str());
    grid_row(index++);
    grid_cell(row.email);
    grid_cell(app::suppression_reason_caption(row.reason));
    grid_cell(outcome_text(row));
    time_cell(row.last_at.empty() ? row.suppressed_at : row.last_at);
    grid_cell(contacts_text(row));
    if (!row.lifted_at.empty()) {
      grid_muted_cell("lifted by " + row.lifted_by + ", " + utc_time(row.lifted_at));
    } else {
      grid_control_cell();
      ImGui::BeginDisabled(!list.lifting.empty());
      if (small_button("Lift", "Lift the suppression of " + row.email)) actions.suppressions().ask_lift(row.email);
      ImGui::EndDisabled();
    }
    ImGui::PopID();
  }
  end_grid();
}

void pager(const app::SuppressionList& list, app::Actions& actions) {
  const std::size_t first = list.total == 0 ? 0 : list.offset + 1;
  const std::size_t last = std::min<std::uint64_t>(list.offset + list.rows.size(), list.total);
  ImGui::AlignTextToFramePadding();
  text(grouped_number(first) + "\u2013" + grouped_number(last) + " of " + grouped_number(list.total));
  ImGui::SameLine(0, 16);
  ImGui::BeginDisabled(list.offset == 0);
  if (button("Previous page##suppressions")) actions.suppressions().previous_page();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(list.offset + app::suppression_page_rows >= list.total);
  if (button("Next page##suppressions")) actions.suppressions().next_page();
  ImGui::EndDisabled();
}

}  // namespace

void draw_suppressions_panel(const app::State& state, app::Actions& actions) {
  const app::SuppressionList& list = state.suppressions;
  begin_card("##suppressions", ImVec2(0, 0), CardHeight::given, "Suppressed addresses");
  card_heading("Suppressed addresses");
  wrapped_muted_text(
      "Addresses that bounced or were reported as spam are never invited while suppressed (the Load's "
      "\"Skipped: bounced or complained\"). Correct them in billing, then lift the suppression.");
  ImGui::Spacing();
  tool_line(list, actions);
  if (!list.notice.empty()) announced_text(Tone::info, list.notice, "suppressions-notice");
  if (list.status == app::LoadStatus::failed)
    announced_text(Tone::bad, "The suppressed addresses could not be listed: " + list.error, "suppressions-failed");
  if (list.status == app::LoadStatus::loading && list.rows.empty()) muted_text("Loading\u2026");
  if (list.status == app::LoadStatus::loaded && list.rows.empty())
    muted_text(list.search.empty() ? "No address is suppressed." : "No suppressed address matches.");
  if (!list.rows.empty()) {
    rows_table(list, actions);
    pager(list, actions);
  }
  lift_popup(list, actions);
  end_card();
}

}  // namespace invites::panels
