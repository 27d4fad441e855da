#include "panels/recipients_panel.hpp"

#include "panels/text_field.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>
#include <invites/utc_time.hpp>
#include <imgui_internal.h>  // TableSetColumnSortDirection: align ImGui's sort arrows with the app state

#include <algorithm>
#include <string>

namespace invites::panels {
namespace {

constexpr double search_debounce_seconds = 0.3;  // typing pauses this long → search
constexpr float min_panel_height = 380.0f;

// The search box's text while the user types (applied after the debounce or on Enter).
struct SearchBox {
  std::string text;
  bool dirty = false;      // edited since the last applied search
  double edited_at = 0.0;  // ImGui time of the last edit
};
SearchBox search_state;

}  // namespace

bool recipients_search_pending() { return search_state.dirty; }

namespace {

void search_box(const app::RecipientTable& table, app::Actions& actions, float width) {
  if (!search_state.dirty) search_state.text = table.query;
  std::string edited;
  if (text_field("##recipient-search", search_state.text, edited, width, "Search email, name, account\u2026")) {
    search_state.text = std::move(edited);
    search_state.dirty = true;
    search_state.edited_at = ImGui::GetTime();
  }
  const bool enter = ImGui::IsItemFocused() && enter_pressed();
  if (search_state.dirty && (enter || ImGui::GetTime() - search_state.edited_at >= search_debounce_seconds)) {
    search_state.dirty = false;
    actions.set_recipient_search(search_state.text);
  }
}

void cell(const std::string& text) { ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size()); }

// Keeps ImGui's sort specs and the app's sort in step: a header click sorts
// through the action; a reset in the app (new list) moves ImGui's arrows.
void sync_sort(const app::RecipientTable& table, app::Actions& actions) {
  ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
  if (!specs) return;
  if (specs->SpecsDirty) {
    if (specs->SpecsCount > 0) {
      const ImGuiTableColumnSortSpecs& spec = specs->Specs[0];
      const auto index = static_cast<std::size_t>(spec.ColumnIndex);
      if (index < all_sort_columns.size())
        actions.set_recipient_sort(all_sort_columns[index], spec.SortDirection == ImGuiSortDirection_Descending);
    }
    specs->SpecsDirty = false;
    return;
  }
  const int want_column = static_cast<int>(table.sort);
  const ImGuiSortDirection want_dir = table.descending ? ImGuiSortDirection_Descending : ImGuiSortDirection_Ascending;
  if (specs->SpecsCount != 1 || specs->Specs[0].ColumnIndex != want_column || specs->Specs[0].SortDirection != want_dir)
    ImGui::TableSetColumnSortDirection(want_column, want_dir, false);
}

void rows_table(const app::State& state, app::Actions& actions, float height) {
  const app::RecipientTable& table = state.recipients;
  constexpr ImGuiTableFlags table_flags =
      ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV |
      ImGuiTableFlags_Resizable | ImGuiTableFlags_Sortable | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("##recipient-rows", static_cast<int>(all_sort_columns.size()), table_flags, ImVec2(0, height)))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  for (const SortColumn column : all_sort_columns) {
    ImGuiTableColumnFlags flags = ImGuiTableColumnFlags_PreferSortAscending;
    float weight = 1.0f;
    switch (column) {
      case SortColumn::email:
        flags |= ImGuiTableColumnFlags_DefaultSort;
        weight = 2.2f;
        break;
      case SortColumn::account_name:
        weight = 1.6f;
        break;
      case SortColumn::contact_id:
      case SortColumn::account_number:
        weight = 0.8f;
        break;
      case SortColumn::last_invited_at:
        weight = 1.1f;
        break;
      default:
        break;
    }
    ImGui::TableSetupColumn(app::column_label(column), flags, weight, static_cast<ImGuiID>(column));
  }
  // TableHeadersRow() by hand, so each header carries its label for the UI probe (browser tests).
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (const SortColumn column : all_sort_columns) {
    if (!ImGui::TableSetColumnIndex(static_cast<int>(column))) continue;
    ImGui::TableHeader(app::column_label(column));
#ifdef IMGUI_ENABLE_TEST_ENGINE
    ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), ImGui::GetItemID(), app::column_label(column), 0);
#endif
  }
  sync_sort(table, actions);

  // Read after sync_sort: a new sort empties the list until its first block arrives.
  const std::size_t total = table.has_total ? static_cast<std::size_t>(table.total) : 0;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(total));
  while (clipper.Step()) {
    if (clipper.DisplayEnd > clipper.DisplayStart)
      actions.need_recipient_rows(static_cast<std::size_t>(clipper.DisplayStart),
                                  static_cast<std::size_t>(clipper.DisplayEnd - 1));
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      ImGui::TableNextRow();
      const app::RecipientEntry* row = table.blocks.row(static_cast<std::size_t>(i));
      ImGui::TableNextColumn();
      if (!row) {
        ImGui::TextDisabled("Loading\u2026");
        continue;
      }
      if (is_mailed(table.group)) {
        // A mailed recipient's email picks the recipient of the email preview.
        const bool previewed = state.send.email.open && state.send.email.recipient_email == row->email;
        ImGui::PushID(i);
        if (ImGui::Selectable(row->email.c_str(), previewed)) actions.sending().preview_for_recipient(row->email);
        ImGui::PopID();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_DelayNormal))
          ImGui::SetTooltip("Preview the email for this recipient");
      } else {
        cell(row->email);
      }
      ImGui::TableNextColumn();
      cell(row->first_name);
      ImGui::TableNextColumn();
      cell(row->last_name);
      ImGui::TableNextColumn();
      cell(row->account_number);
      ImGui::TableNextColumn();
      cell(row->account_name);
      ImGui::TableNextColumn();
      ImGui::Text("%llu", static_cast<unsigned long long>(row->contact_id));
      ImGui::TableNextColumn();
      if (row->last_invited_at.empty())
        ImGui::TextDisabled("never");
      else
        cell(short_utc(row->last_invited_at));
    }
  }
  ImGui::EndTable();
}

}  // namespace

void draw_recipients_panel(const app::State& state, app::Actions& actions) {
  const app::RecipientTable& table = state.recipients;
  const bool stale = app::preview_stale(state) || state.preview.status == app::LoadStatus::loading;

  // The list fills the visible height of the screen below the cards; the
  // frame it appears, the screen scrolls to it.
  if (frames_since_shown("recipients") == 0) ImGui::SetScrollHereY(0.0f);
  const float height = std::max(min_panel_height, ImGui::GetWindowHeight() - ImGui::GetStyle().ItemSpacing.y * 2);
  begin_card("##recipients", ImVec2(0, height));

  // Title line: the group, and Close at the right.
  ImGui::AlignTextToFramePadding();
  ImGui::Text("Recipients \u2014 %s", app::group_caption(table.group));
  if (right_aligned_button("Close")) {
    actions.close_recipients();
    end_card();
    return;
  }
  ImGui::Separator();

  if (stale) {
    ImGui::AlignTextToFramePadding();
    status_dot(Tone::warning);
    ImGui::TextDisabled("Filters changed \u2014 press Load to see the recipients for them.");
  }
  ImGui::BeginDisabled(stale);

  // Tool line: search, the count shown, Download CSV.
  search_box(table, actions, std::min(360.0f, ImGui::GetContentRegionAvail().x * 0.4f));
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  if (table.has_total) {
    const std::string shown = grouped_number(table.total);
    ImGui::Text("Showing %s recipient%s", shown.c_str(), table.total == 1 ? "" : "s");
  } else if (table.status == app::LoadStatus::loading) {
    ImGui::TextDisabled("Loading recipients\u2026");
  } else {
    ImGui::TextDisabled(" ");
  }
  ImGui::BeginDisabled(!table.has_total || table.total == 0);
  if (right_aligned_button("Download CSV")) actions.download_recipients_csv();
  ImGui::EndDisabled();

  if (table.status == app::LoadStatus::failed) {
    tone_text(Tone::bad, "The recipients could not be loaded: " + table.error);
    if (ImGui::Button("Try again")) actions.reload_recipients();
  } else if (table.has_total && table.total == 0) {
    ImGui::TextDisabled(table.query.empty() ? "This group has no recipients." : "No recipients match the search.");
  }

  rows_table(state, actions, std::max(160.0f, ImGui::GetContentRegionAvail().y));
  ImGui::EndDisabled();
  end_card();
}

}  // namespace invites::panels
