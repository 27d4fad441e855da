#include "panels/recipients_panel.hpp"

#include "panels/text_field.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // TableSetColumnSortDirection: align ImGui's sort arrows with the app state
#include <invites/csv.hpp>

#include <algorithm>
#include <string>

namespace invites::panels {
namespace {

constexpr double search_debounce_seconds = 0.3;  // typing pauses this long → search
constexpr float min_panel_height = 380.0f;
constexpr float narrow_grid_width = 600.0f;  // below it (a phone) the grid keeps the address column only

// The search box's text while the user types (applied after the debounce or on Enter).
struct SearchBox {
  std::string text;
  bool dirty = false;      // edited since the last applied search
  double edited_at = 0.0;  // ImGui time of the last edit
};
SearchBox search_state;
RowSelection selection;  // rows Ctrl+C copies

}  // namespace

bool recipients_search_pending() { return search_state.dirty; }

namespace {

void search_box(const app::RecipientTable& table, app::Actions& actions, float width) {
  if (!search_state.dirty) search_state.text = table.query;
  std::string edited;
  if (text_field("##recipient-search", search_state.text, edited, width, "Search email, name, account\u2026", 0,
                 semantics::InputKind::search)) {
    search_state.text = edited;
    search_state.dirty = true;
    search_state.edited_at = ImGui::GetTime();
  }
  const bool enter = field_submitted();
  if (search_state.dirty && (enter || ImGui::GetTime() - search_state.edited_at >= search_debounce_seconds)) {
    search_state.dirty = false;
    actions.set_recipient_search(search_state.text);
  }
}

// The selected rows that have arrived, tab-separated (Ctrl+C).
std::string selected_rows_text(const app::RecipientTable& table) {
  std::string out;
  for (std::int64_t i = selection.first(); i >= 0 && i <= selection.last(); ++i) {
    const app::RecipientEntry* row = table.blocks.row(static_cast<std::size_t>(i));
    if (!row) continue;
    append_tsv_row(out, {row->email, row->first_name, row->last_name, row->account_number, row->account_name,
                         std::to_string(row->contact_id), row->last_invited_at});
  }
  return out;
}

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
  constexpr ImGuiTableFlags table_flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                          ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV |
                                          ImGuiTableFlags_Resizable | ImGuiTableFlags_Sortable |
                                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Hideable;
  // On a phone the grid shows the address only (all columns stay in the accessibility tree).
  const bool narrow = ImGui::GetContentRegionAvail().x < narrow_grid_width;
  const int columns = static_cast<int>(all_sort_columns.size()) + 1;  // + the Copy column
  const std::string name = std::string("Recipients: ") + app::group_caption(table.group);
  const std::int64_t total_rows = table.has_total ? static_cast<std::int64_t>(table.total) : 0;
  if (!begin_grid("##recipient-rows", columns, table_flags, ImVec2(0, height), name, total_rows)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  int column_index = 0;
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
    if (column != SortColumn::email) ImGui::TableSetColumnEnabled(column_index, !narrow);
    ++column_index;
  }
  ImGui::TableSetupColumn("Copy", ImGuiTableColumnFlags_NoSort | ImGuiTableColumnFlags_WidthFixed,
                          ImGui::CalcTextSize("Copy").x + ImGui::GetStyle().FramePadding.x * 2);
  std::vector<const char*> labels;
  for (const SortColumn column : all_sort_columns) labels.push_back(app::column_label(column));
  labels.push_back("Copy");
  grid_headers(labels);
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
      grid_row(i, selection.contains(i));
      const app::RecipientEntry* row = table.blocks.row(static_cast<std::size_t>(i));
      if (!row) {
        grid_muted_cell("Loading\u2026");
        continue;
      }
      selection.highlight(i);
      ImGui::PushID(i);
      bool focused = false;
      if (is_mailed(table.group)) {
        // A mailed recipient's email picks the recipient of the email preview.
        const bool previewed = state.send.email.open && state.send.email.recipient_email == row->email;
        grid_control_cell();
        if (selectable(row->email.c_str(), previewed)) actions.sending().preview_for_recipient(row->email);
        focused = item_has_focus();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_DelayNormal))
          ImGui::SetTooltip("Preview the email for this recipient");
      } else {
        grid_cell(row->email);
      }
      grid_cell(row->first_name);
      grid_cell(row->last_name);
      grid_cell(row->account_number);
      grid_cell(row->account_name);
      grid_cell(std::to_string(row->contact_id));
      if (row->last_invited_at.empty())
        grid_muted_cell("never");
      else
        time_cell(row->last_invited_at);
      grid_control_cell();
      if (small_button("Copy", "Copy address " + row->email)) ImGui::SetClipboardText(row->email.c_str());
      focused = focused || item_has_focus();
      ImGui::PopID();
      selection.row_drawn(i, focused);
    }
  }
  const semantics::Key grid = current_grid();
  end_grid();
  if (copy_requested_in(grid)) ImGui::SetClipboardText(selected_rows_text(table).c_str());
}

}  // namespace

void draw_recipients_panel(const app::State& state, app::Actions& actions) {
  const app::RecipientTable& table = state.recipients;
  const bool stale = app::preview_stale(state) || state.preview.status == app::LoadStatus::loading;

  // The list fills the visible height of the screen below the cards; the
  // frame it appears, the screen scrolls to it.
  const bool appeared = frames_since_shown("recipients") == 0;
  if (appeared) ImGui::SetScrollHereY(0.0f);
  const float height = std::max(min_panel_height, ImGui::GetWindowHeight() - ImGui::GetStyle().ItemSpacing.y * 2);
  const std::string title = std::string("Recipients \u2014 ") + app::group_caption(table.group);
  begin_card("##recipients", ImVec2(0, height), CardHeight::given, title);
  if (appeared) selection.clear();

  // Title line: the group, and Close at the right.
  ImGui::AlignTextToFramePadding();
  heading(title);
  if (right_aligned_button("Close")) {
    actions.close_recipients();
    end_card();
    return;
  }
  ImGui::Separator();

  if (stale) {
    ImGui::AlignTextToFramePadding();
    status_dot(Tone::warning);
    wrapped_muted_text("Filters changed \u2014 press Load to see the recipients for them.");
  }
  ImGui::BeginDisabled(stale);

  // Tool line: search, the count shown, Download CSV (on narrow screens each on its own line).
  const float line_w = ImGui::GetContentRegionAvail().x;
  const bool narrow = line_w < 640.0f;
  search_box(table, actions, narrow ? line_w : std::min(360.0f, line_w * 0.4f));
  if (!narrow) ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  if (table.has_total) {
    const std::string shown = grouped_number(table.total);
    const std::string showing = "Showing " + shown + " recipient" + (table.total == 1 ? "" : "s");
    text(showing);
    announce("recipients-total", showing + ".");
  } else if (table.status == app::LoadStatus::loading) {
    muted_text("Loading recipients\u2026");
  } else {
    ImGui::TextDisabled(" ");
  }
  ImGui::BeginDisabled(!table.has_total || table.total == 0);
  if (right_aligned_button("Download CSV")) actions.download_recipients_csv();
  ImGui::EndDisabled();

  if (table.status == app::LoadStatus::failed) {
    announced_text(Tone::bad, "The recipients could not be loaded: " + table.error, "recipients-failed");
    if (button("Try again")) actions.reload_recipients();
  } else if (table.has_total && table.total == 0) {
    muted_text(table.query.empty() ? "This group has no recipients." : "No recipients match the search.");
  }

  rows_table(state, actions, std::max(160.0f, ImGui::GetContentRegionAvail().y));
  ImGui::EndDisabled();
  end_card();
}

}  // namespace invites::panels
