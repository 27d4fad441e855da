#include "panels/suppressions_panel.hpp"

#include "panels/text_field.hpp"
#include "panels/widgets.hpp"

#include <invites/utc_time.hpp>

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
  ImGui::TextUnformatted("Address contains");
  ImGui::SameLine();
  if (text_field("Search suppressed addresses##suppression-search", typed_search, edited, 260.0f,
                 "part of an address")) {
    typed_search = edited;
    typing = true;
  }
  const bool enter = ImGui::IsItemDeactivated() && enter_pressed();
  ImGui::SameLine();
  if (ImGui::Button("Search##suppressions") || enter) {
    typing = false;
    actions.suppressions().set_search(typed_search);
  }
  ImGui::SameLine(0, 16);
  bool include_lifted = list.include_lifted;
  if (ImGui::Checkbox("Include lifted", &include_lifted)) actions.suppressions().set_include_lifted(include_lifted);
  ImGui::SameLine(0, 16);
  if (ImGui::Button("Export CSV##suppressions")) actions.suppressions().export_csv();
  ImGui::SameLine();
  ImGui::BeginDisabled(list.status == app::LoadStatus::loading);
  if (ImGui::Button("Refresh##suppressions")) actions.suppressions().reload();
  ImGui::EndDisabled();
}

void lift_popup(const app::SuppressionList& list, app::Actions& actions) {
  if (list.confirm_lift && !ImGui::IsPopupOpen(lift_popup_id)) ImGui::OpenPopup(lift_popup_id);
  if (!ImGui::BeginPopupModal(lift_popup_id, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  const std::string email = list.confirm_lift.value_or("");
  ImGui::Text("%s will be invited again by the next Send that includes it.", email.c_str());
  ImGui::TextUnformatted("Lift only after the address was corrected or confirmed. The lift is audited.");
  ImGui::Spacing();
  if (ImGui::Button("Lift the suppression", ImVec2(200, 0))) {
    actions.suppressions().confirm_lift();
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Keep it suppressed", ImVec2(180, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape, false)) {
    actions.suppressions().cancel_lift();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void rows_table(const app::SuppressionList& list, app::Actions& actions) {
  if (!begin_list_table("##suppressions-table",
                        {{"Address", 1.4f},
                         {"Reason", 0.8f},
                         {"Last outcome", 2.4f},
                         {"Date", 0.8f},
                         {"Contacts and accounts", 2.2f},
                         {"Lift", 0.4f}},
                        std::max(200.0f, ImGui::GetContentRegionAvail().y - 40.0f)))
    return;
  for (const app::SuppressedAddress& row : list.rows) {
    ImGui::PushID(row.email.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(row.email.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(app::suppression_reason_caption(row.reason));
    ImGui::TableNextColumn();
    const std::string outcome = std::string(app::outcome_kind_caption(row.last_kind)) +
                                (row.last_status.empty() ? "" : " " + row.last_status) + " via " + row.last_source +
                                (row.last_diagnostic.empty() ? "" : ": " + row.last_diagnostic);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(outcome.c_str());
    ImGui::PopTextWrapPos();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(short_utc(row.last_at.empty() ? row.suppressed_at : row.last_at).c_str());
    ImGui::TableNextColumn();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(contacts_text(row).c_str());
    ImGui::PopTextWrapPos();
    ImGui::TableNextColumn();
    if (!row.lifted_at.empty()) {
      ImGui::TextDisabled("lifted");
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("by %s, %s", row.lifted_by.c_str(), short_utc(row.lifted_at).c_str());
    } else {
      ImGui::BeginDisabled(!list.lifting.empty());
      const std::string lift_label = "Lift###lift " + row.email;
      if (ImGui::SmallButton(lift_label.c_str())) actions.suppressions().ask_lift(row.email);
      ImGui::EndDisabled();
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void pager(const app::SuppressionList& list, app::Actions& actions) {
  const std::size_t first = list.total == 0 ? 0 : list.offset + 1;
  const std::size_t last = std::min<std::uint64_t>(list.offset + list.rows.size(), list.total);
  ImGui::AlignTextToFramePadding();
  ImGui::Text("%s\u2013%s of %s", grouped_number(first).c_str(), grouped_number(last).c_str(),
              grouped_number(list.total).c_str());
  ImGui::SameLine(0, 16);
  ImGui::BeginDisabled(list.offset == 0);
  if (ImGui::Button("Previous page##suppressions")) actions.suppressions().previous_page();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(list.offset + app::suppression_page_rows >= list.total);
  if (ImGui::Button("Next page##suppressions")) actions.suppressions().next_page();
  ImGui::EndDisabled();
}

}  // namespace

void draw_suppressions_panel(const app::State& state, app::Actions& actions) {
  const app::SuppressionList& list = state.suppressions;
  ImGui::BeginChild("##suppressions", ImVec2(0, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AlwaysUseWindowPadding);
  ImGui::TextUnformatted("Suppressed addresses");
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(
      "Addresses that bounced or were reported as spam are never invited while suppressed (the Load's "
      "\"Skipped: bounced or complained\"). Correct them in billing, then lift the suppression.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  tool_line(list, actions);
  if (!list.notice.empty()) tone_text(Tone::info, list.notice);
  if (list.status == app::LoadStatus::failed) tone_text(Tone::bad, list.error);
  if (list.status == app::LoadStatus::loading && list.rows.empty()) ImGui::TextDisabled("Loading\u2026");
  if (list.status == app::LoadStatus::loaded && list.rows.empty())
    ImGui::TextDisabled(list.search.empty() ? "No address is suppressed." : "No suppressed address matches.");
  if (!list.rows.empty()) {
    rows_table(list, actions);
    pager(list, actions);
  }
  lift_popup(list, actions);
  ImGui::EndChild();
}

}  // namespace invites::panels
