#include "panels/widgets.hpp"

#include "panels/a11y.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <unordered_map>

namespace invites::panels {
namespace {

using semantics::Key;
using semantics::Node;
using semantics::Role;

void draw_text(std::string_view shown) { ImGui::TextUnformatted(shown.data(), shown.data() + shown.size()); }

void draw_muted(std::string_view shown) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  draw_text(shown);
  ImGui::PopStyleColor();
}

// Wraps at the window's edge, or where the caller's PushTextWrapPos() says.
void wrapped(std::string_view shown, bool muted) {
  const bool own_wrap = ImGui::GetCurrentWindow()->DC.TextWrapPos < 0.0f;
  if (own_wrap) ImGui::PushTextWrapPos(0.0f);
  if (muted)
    draw_muted(shown);
  else
    draw_text(shown);
  if (own_wrap) ImGui::PopTextWrapPos();
  a11y::text(shown);
}

// The combo being drawn (begin_combo .. end_combo).
Key open_combo = 0;

// The grid being drawn: its node (opened with its first row: ImGui skips a
// table's items until its layout is done), and whether a row or a control cell is open.
struct GridState {
  Node node;
  Key key = 0;
  bool row_open = false;
  bool cell_open = false;
};
GridState grid;

// The current table draws its items (between TableNextRow() and the first
// cell ImGui hides them, so the current window's state does not tell).
bool table_drawn() {
  const ImGuiTable* table = ImGui::GetCurrentTable();
  return table != nullptr && !table->HostSkipItems;
}

// After the table's first TableNextRow(): the grid's node, once.
void open_grid() {
  if (grid.key == 0 && grid.node.key != 0) grid.key = a11y::open_table_part(grid.node, table_drawn());
  grid.node.key = 0;
}

void close_cell() {
  if (grid.cell_open) a11y::close();
  grid.cell_open = false;
}

void close_row() {
  close_cell();
  if (grid.row_open) a11y::close();
  grid.row_open = false;
}

void open_row(Key key, std::int64_t row_index, bool selected) {
  close_row();
  Node row;
  row.key = key;
  row.role = Role::row;
  row.row_index = row_index;
  if (selected) row.states |= semantics::selected;
  grid.row_open = a11y::open_table_part(std::move(row), table_drawn()) != 0;
}

void cell_node(std::string_view shown) {
  close_cell();
  if (!a11y::describing()) return;
  // A text longer than its column is cut off on screen; its node ends with the column too.
  const ImRect cell = ImGui::GetCurrentContext()->LastItemData.Rect;
  ImRect visible = cell;
  visible.ClipWithFull(ImGui::GetCurrentWindow()->ClipRect);
  Node node = a11y::last_item_node(Role::gridcell, shown);
  node.bounds = semantics::Bounds::from_px(visible.Min.x, visible.Min.y, std::max(0.0f, visible.GetWidth()),
                                           std::max(0.0f, visible.GetHeight()));
  a11y::add_item(std::move(node));
}

}  // namespace

// --- text --------------------------------------------------------------------

void text(std::string_view shown) {
  draw_text(shown);
  a11y::text(shown);
}

void muted_text(std::string_view shown) {
  draw_muted(shown);
  a11y::text(shown);
}

void wrapped_text(std::string_view shown) { wrapped(shown, false); }
void wrapped_muted_text(std::string_view shown) { wrapped(shown, true); }

void tone_text(Tone tone, const std::string& shown) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(tone_color(tone)));
  wrapped(shown, false);
  ImGui::PopStyleColor();
}

void heading(std::string_view shown, ImFont* font, int level) {
  if (font) ImGui::PushFont(font);
  draw_text(shown);
  if (font) ImGui::PopFont();
  a11y::text(shown, Role::heading, level);
}

void card_heading(std::string_view shown) {
  draw_muted(shown);
  a11y::text(shown, Role::heading, 2);
  ImGui::Separator();
  ImGui::Spacing();
}

void announced_text(Tone tone, const std::string& shown, std::string_view source) {
  tone_text(tone, shown);
  announce(source, shown, tone == Tone::bad);
}

void announce(std::string_view source, const std::string& message, bool urgent) {
  a11y::announce(source, urgent ? semantics::Politeness::assertive : semantics::Politeness::polite, message);
}

// --- form rows ---------------------------------------------------------------

void form_label(const char* label, float label_width) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  a11y::label(label);
  ImGui::SameLine(label_width);
}

FormRows form_rows(float preferred_field_width, float label_width) {
  constexpr float min_field_width = 200.0f;
  const float avail = ImGui::GetContentRegionAvail().x;
  FormRows rows;
  if (avail - label_width >= min_field_width) {
    rows.label_width = label_width;
    rows.field_width = std::min(preferred_field_width, avail - label_width);
  } else {
    rows.field_width = avail;
  }
  return rows;
}

void FormRows::label(const char* text) const {
  if (label_width > 0)
    form_label(text, label_width);
  else
    field_label(text);
}

void FormRows::indent() const {
  if (label_width > 0) ImGui::SetCursorPosX(label_width);
}

void field_label(const char* label) {
  ImGui::TextUnformatted(label);
  a11y::label(label);
}

void field_problem(const std::string& problem) {
  const Key field = a11y::last_field();
  tone_text(Tone::bad, problem);
  a11y::mark_invalid(field, a11y::last_text());
}

bool enter_submits(Key form) { return a11y::submitted_in(form); }

// --- controls ----------------------------------------------------------------

bool button(const char* label, const ImVec2& size) {
  const bool pressed = ImGui::Button(label, size);
  const Key key = a11y::item(Role::button, label);
  if (pressed) a11y::pressed(key);
  return pressed;
}

bool button(const char* label) { return button(label, ImVec2(0, 0)); }

void same_line_if_fits(float next_width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

float button_width(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

bool small_button(const char* label, std::string_view name) {
  const bool pressed = ImGui::SmallButton(label);
  const Key key = a11y::item(Role::button, name.empty() ? std::string_view(label) : name);
  if (pressed) a11y::pressed(key);
  return pressed;
}

bool item_has_focus() {
  const ImGuiID id = ImGui::GetItemID();
  return id != 0 && ImGui::GetFocusID() == id;
}

bool checkbox(const char* label, bool* value) {
  const bool changed = ImGui::Checkbox(label, value);
  a11y::item(Role::checkbox, label, *value ? semantics::checked : 0);
  return changed;
}

bool selectable(const char* label, bool selected, int flags, Role role) {
  const bool pressed = ImGui::Selectable(label, selected, flags);
  semantics::States states = 0;
  if (selected) states |= role == Role::option ? semantics::selected : semantics::current;
  const Key key = a11y::item(role, label, states);
  if (pressed) a11y::pressed(key);
  return pressed;
}

bool begin_combo(const char* id, const char* preview, ImGuiComboFlags flags, bool multiselect) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiID item_id = ImGui::GetID(id);  // before BeginCombo may enter its popup window
  // The combo's frame (BeginCombo goes on into its popup window when open).
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImVec2 frame_size(ImGui::CalcItemWidth(), ImGui::GetFrameHeight());
  const bool disabled = (g.CurrentItemFlags & ImGuiItemFlags_Disabled) != 0;
  const bool open = ImGui::BeginCombo(id, preview, flags);
#ifdef IMGUI_ENABLE_TEST_ENGINE
  // BeginCombo adds its item without a label: name it for the UI probe.
  if (g.TestEngineHookItems) ImGuiTestEngineHook_ItemInfo(&g, item_id, id, 0);
#endif
  if (!a11y::describing()) return open;
  Node combo;
  combo.key = item_id;
  combo.role = Role::combobox;
  combo.value = preview;
  combo.bounds = semantics::Bounds::from_px(pos.x, pos.y, frame_size.x, frame_size.y);
  combo.states = semantics::expandable | (open ? semantics::expanded : 0) | (disabled ? semantics::disabled : 0);
  if (open) combo.controls = semantics::hash_key("listbox", item_id);  // only while the list is there
  const Key labelled_by = a11y::pending_label();
  const Key key = a11y::add_item(std::move(combo));
  if (!open) return false;
  Node list;
  list.key = semantics::hash_key("listbox", item_id);
  list.role = Role::listbox;
  list.labelled_by = labelled_by;
  list.opener = key;
  if (multiselect) list.states |= semantics::multiselectable;
  open_combo = a11y::open(std::move(list));
  // Escape closes the list whichever item of it ImGui's navigation is on.
  if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) ImGui::CloseCurrentPopup();
  // Opened from the keyboard or a screen reader: the focus goes into the list.
  if (ImGui::IsWindowAppearing() && a11y::requests().dom_focus() == key) a11y::focus_next_item();
  return true;
}

void end_combo() {
  if (open_combo != 0) a11y::close();
  open_combo = 0;
  ImGui::EndCombo();
}

bool option_checkbox(const char* label, bool* value) {
  const bool changed = ImGui::Checkbox(label, value);
  a11y::item(Role::option, label, *value ? semantics::selected : 0);
  return changed;
}

void multi_select_combo(const char* id, const std::vector<app::LookupItem>& items, const std::vector<Id>& selected,
                        float width, const MultiSelectEvents& events) {
  const std::string preview = app::selection_summary(items, selected);
  ImGui::SetNextItemWidth(width);
  ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width * 1.6f, ImGui::GetFontSize() * 22));
  if (!begin_combo(id, preview.c_str(), ImGuiComboFlags_HeightLarge, true)) return;
  bool all = selected.empty();
  if (option_checkbox("All", &all) && all) events.select_all();
  ImGui::Separator();
  if (items.empty()) muted_text("(none defined)");
  for (const app::LookupItem& item : items) {
    bool on = false;
    for (const Id s : selected) on = on || s == item.id;
    ImGui::PushID(static_cast<int>(item.id));
    if (option_checkbox(item.name.c_str(), &on)) events.set(item.id, on);
    ImGui::PopID();
  }
  end_combo();
}

bool link_button(const char* id, const char* text, ImFont* font, std::string_view name) {
  if (font) ImGui::PushFont(font);
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::InvisibleButton(id, size);
  const bool hovered = ImGui::IsItemHovered();
  const bool enabled = (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) == 0;
  ImU32 color = tone_color(enabled ? Tone::link : Tone::neutral);
  if (!enabled) color = ImGui::GetColorU32(ImGuiCol_Text);  // greyed by the disabled alpha
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddText(pos, color, text);
  if (hovered && enabled) {
    const float y = pos.y + size.y - 1.0f;
    draw->AddLine(ImVec2(pos.x, y), ImVec2(pos.x + size.x, y), color, 1.0f);
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  }
  if (font) ImGui::PopFont();
  const Key key = a11y::item(Role::link, name.empty() ? std::string_view(text) : name);
  if (clicked) a11y::pressed(key);
  return clicked;
}

bool right_aligned_button(const char* label) {
  const float width = ImGui::CalcTextSize(label, nullptr, /*hide_text_after_double_hash=*/true).x +
                      ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - width));
  return button(label);
}

bool primary_button(const char* label, float width, bool enabled) {
  ImGui::BeginDisabled(!enabled);
  ImGui::PushStyleColor(ImGuiCol_Button, accent_color(AccentPart::normal));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, accent_color(AccentPart::hovered));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, accent_color(AccentPart::active));
  ImGui::PushStyleColor(ImGuiCol_Text, accent_color(AccentPart::text));
  ImGui::PushStyleColor(ImGuiCol_Border, accent_color(AccentPart::active));
  const ImGuiStyle& style = ImGui::GetStyle();
  const bool clicked = button(label, ImVec2(width, ImGui::GetFrameHeight() + style.FramePadding.y * 0.8f));
  ImGui::PopStyleColor(5);
  ImGui::EndDisabled();
  return clicked && enabled;
}

void progress_bar(float fraction, const ImVec2& size, const char* overlay, std::string_view name, std::int64_t done,
                  std::int64_t total) {
  ImGui::ProgressBar(fraction, size, overlay);
  if (!a11y::describing()) return;
  Node bar = a11y::last_item_node(Role::progressbar, name);
  bar.key = 0;  // a progress bar has no ImGui ID
  bar.value_now = done;
  bar.value_max = total;
  bar.value =
      grouped_number(static_cast<std::uint64_t>(done)) + " of " + grouped_number(static_cast<std::uint64_t>(total));
  a11y::add_item(std::move(bar));
}

// --- containers --------------------------------------------------------------

namespace {

struct OpenCard {
  Key key;      // 0: not described
  bool dialog;  // escape_pressed_in_card() needs to know where the focus was
};
std::vector<OpenCard> open_cards;  // the cards being drawn
// Whether the keyboard focus was inside a dialog card, in the card window's state storage.
const char* const focus_inside_card = "##focus-inside";

}  // namespace

void begin_card(const char* id, const ImVec2& size, CardHeight height, std::string_view name, Role role) {
  ImGuiChildFlags flags = ImGuiChildFlags_Border | ImGuiChildFlags_AlwaysUseWindowPadding;
  // Measured and described even while scrolled out of view (ImGui would skip
  // it): the DOM layer then holds its current content, so that Tab reaches the
  // counts below the fold and a screen reader's virtual cursor finds them.
  if (height == CardHeight::fit_content) flags |= ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysAutoResize;
  ImGui::BeginChild(id, size, flags);
  Node node;
  node.key = ImGui::GetCurrentWindow()->ID;
  node.role = role;
  node.name = name;
  const bool dialog = role == Role::dialog;
  if (dialog) node.opener = a11y::opener_of(node.key);
  open_cards.push_back(OpenCard{a11y::open_child_window(std::move(node)), dialog});
  if (dialog && ImGui::IsWindowAppearing()) a11y::focus_next_item();  // its first control takes the focus
}

void end_card() {
  if (!open_cards.empty()) {
    if (open_cards.back().dialog)
      ImGui::GetStateStorage()->SetBool(ImGui::GetID(focus_inside_card),
                                        ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows));
    if (open_cards.back().key != 0) a11y::close();
    open_cards.pop_back();
  }
  ImGui::EndChild();
}

bool escape_pressed_in_card() {
  return ImGui::GetStateStorage()->GetBool(ImGui::GetID(focus_inside_card)) &&
         ImGui::IsKeyPressed(ImGuiKey_Escape, false);
}

Key current_card() { return open_cards.empty() ? 0 : open_cards.back().key; }

int frames_since_shown(const char* id) {
  // Kept in the current window's state storage, which outlives frames it is not drawn in.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  ImGui::PushID(id);
  const ImGuiID last_drawn_key = ImGui::GetID("last drawn");
  const ImGuiID shown_since_key = ImGui::GetID("shown since");
  ImGui::PopID();
  const int frame = ImGui::GetFrameCount();
  if (storage->GetInt(last_drawn_key, -10) < frame - 1) storage->SetInt(shown_since_key, frame);
  storage->SetInt(last_drawn_key, frame);
  return frame - storage->GetInt(shown_since_key, frame);
}

namespace {

// Tab bars being drawn: the tab list's key and the key of the container the
// tab panels go into (the list's parent).
struct TabBar {
  Key list = 0;
  Key panels_parent = 0;
  Key open_panel = 0;
};
std::vector<TabBar> tab_bars;

}  // namespace

bool begin_tab_bar(const char* id, std::string_view name) {
  if (!ImGui::BeginTabBar(id)) return false;
  TabBar bar;
  bar.panels_parent = a11y::current_parent();
  Node list;
  list.key = ImGui::GetID(id);
  list.role = Role::tablist;
  list.name = name;
  bar.list = a11y::open(std::move(list));
  tab_bars.push_back(bar);
  return true;
}

void end_tab_bar() {
  if (!tab_bars.empty()) {
    if (tab_bars.back().list != 0) a11y::close();
    tab_bars.pop_back();
  }
  ImGui::EndTabBar();
}

bool begin_tab(const char* label, ImGuiTabItemFlags flags) {
  // Enter or Space on the page's tab selects it directly: ImGui's own
  // activation of a tab scrolled out of view was lost once it was scrolled to.
  if (a11y::take_activation(ImGui::GetID(label))) flags |= ImGuiTabItemFlags_SetSelected;
  const bool open = ImGui::BeginTabItem(label, nullptr, flags);
  ImGuiContext* g = ImGui::GetCurrentContext();
#ifdef IMGUI_ENABLE_TEST_ENGINE
  if (g->TestEngineHookItems) ImGuiTestEngineHook_ItemInfo(g, g->LastItemData.ID, label, 0);
#endif
  if (!a11y::describing() || tab_bars.empty()) return open;
  Node tab = a11y::last_item_node(Role::tab, label, open ? semantics::selected : 0);
  const Key panel_key = semantics::hash_key("tabpanel", tab.key);
  if (open) tab.controls = panel_key;  // only the shown tab has a panel
  const Key tab_key = a11y::add_item(std::move(tab));
  if (!open) return false;
  Node panel;
  panel.key = panel_key;
  panel.role = Role::tabpanel;
  panel.labelled_by = tab_key;
  tab_bars.back().open_panel = a11y::open_under(tab_bars.back().panels_parent, std::move(panel));
  return true;
}

void end_tab() {
  if (!tab_bars.empty() && tab_bars.back().open_panel != 0) {
    a11y::close();
    tab_bars.back().open_panel = 0;
  }
  ImGui::EndTabItem();
}

namespace {
std::vector<bool> dialogs_described;  // per open begin_dialog: whether a node was opened
}

bool begin_dialog(const char* title, ImGuiWindowFlags window_flags) {
  if (!ImGui::BeginPopupModal(title, nullptr, window_flags)) return false;
  const bool appearing = ImGui::IsWindowAppearing();
  Node dialog;
  dialog.key = ImGui::GetCurrentWindow()->ID;
  dialog.role = Role::dialog;
  dialog.name = title;
  dialog.name = dialog.name.substr(0, dialog.name.find("##"));
  dialog.states = semantics::modal;
  dialog.opener = a11y::opener_of(dialog.key);
  dialogs_described.push_back(a11y::open(std::move(dialog)) != 0);
  if (appearing) a11y::focus_next_item();  // the first control of the dialog takes the focus
  return true;
}

void end_dialog() {
  if (!dialogs_described.empty()) {
    if (dialogs_described.back()) a11y::close();
    dialogs_described.pop_back();
  }
  ImGui::EndPopup();
}

bool begin_grid(const char* id, int columns, ImGuiTableFlags table_flags, const ImVec2& size, std::string_view name,
                std::int64_t rows) {
  const ImGuiID key = ImGui::GetID(id);
  if (!ImGui::BeginTable(id, columns, table_flags, size)) return false;
  grid = GridState{};
  grid.node.key = key;
  grid.node.role = Role::grid;
  grid.node.name = name;
  grid.node.row_count = rows + 1;  // the header row counts
  grid.node.col_count = columns;
  return true;
}

void end_grid() {
  close_row();
  if (grid.key != 0) a11y::close();
  grid = GridState{};
  ImGui::EndTable();
}

void grid_headers(const std::vector<const char*>& labels) {
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  open_grid();
  open_row(semantics::hash_key("header", grid.key), 1, false);
  ImGuiTable* table = ImGui::GetCurrentTable();
  for (int column = 0; column < static_cast<int>(labels.size()); ++column) {
    if (!ImGui::TableSetColumnIndex(column)) continue;
    const char* label = labels[static_cast<std::size_t>(column)];
    ImGui::TableHeader(label);
#ifdef IMGUI_ENABLE_TEST_ENGINE
    // Each header carries its label for the UI probe (browser tests).
    ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), ImGui::GetItemID(), label, 0);
#endif
    if (!a11y::describing()) continue;
    Node header = a11y::last_item_node(Role::columnheader, label);
    if (table && (ImGui::TableGetColumnFlags(column) & ImGuiTableColumnFlags_IsSorted))
      header.sort = table->Columns[column].SortDirection == ImGuiSortDirection_Descending ? semantics::Sort::descending
                                                                                          : semantics::Sort::ascending;
    a11y::add_item(std::move(header));
  }
}

void grid_row(std::int64_t index, bool selected) {
  ImGui::TableNextRow();
  open_grid();
  const std::int64_t row_index = index + 2;  // 1-based, after the header row
  open_row(semantics::hash_key(std::string_view(reinterpret_cast<const char*>(&row_index), sizeof row_index), grid.key),
           row_index, selected);
}

void grid_cell(std::string_view shown, bool framed) {
  ImGui::TableNextColumn();
  if (framed) ImGui::AlignTextToFramePadding();
  draw_text(shown);
  cell_node(shown);
}

void grid_muted_cell(std::string_view shown, bool framed) {
  ImGui::TableNextColumn();
  if (framed) ImGui::AlignTextToFramePadding();
  draw_muted(shown);
  cell_node(shown);
}

void grid_tone_cell(Tone tone, const std::string& shown) {
  ImGui::TableNextColumn();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(tone_color(tone)));
  draw_text(shown);
  ImGui::PopStyleColor();
  cell_node(shown);
}

void grid_control_cell() {
  ImGui::TableNextColumn();
  close_cell();
  Node cell;
  cell.role = Role::gridcell;
  grid.cell_open = a11y::open(std::move(cell)) != 0;
}

Key current_grid() { return grid.key; }

bool copy_requested_in(Key container) { return container != 0 && a11y::copy_requested_in(container); }

void RowSelection::row_drawn(std::int64_t index, bool focused) {
  if (!focused || index == focus_) return;
  // A move by the arrow keys lands a frame or two after the key: Shift as it
  // was when the move was asked for (it may be up by now).
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const bool moved_by_key = g.NavJustMovedToId != 0 && g.NavJustMovedToId == g.NavId;
  const bool shift = moved_by_key ? (g.NavJustMovedToKeyMods & ImGuiMod_Shift) != 0 : ImGui::GetIO().KeyShift;
  if (!shift || anchor_ < 0) anchor_ = index;
  focus_ = index;
}

void RowSelection::highlight(std::int64_t index) const {
  if (contains(index)) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_Header));
}

namespace {

TimeFormatter time_formatter = nullptr;
std::unordered_map<std::string, std::string> local_times;  // formatting asks the page: once per time
constexpr std::size_t local_times_kept = 4096;

}  // namespace

void set_time_formatter(TimeFormatter formatter) {
  time_formatter = formatter;
  local_times.clear();
}

std::string utc_time(const std::string& iso_utc) {
  std::string out = iso_utc.substr(0, 16);
  if (out.size() > 10 && out[10] == 'T') out[10] = ' ';
  return out + " UTC";
}

std::string local_time(const std::string& iso_utc) {
  if (time_formatter == nullptr) return utc_time(iso_utc);
  const auto found = local_times.find(iso_utc);
  if (found != local_times.end()) return found->second;
  if (local_times.size() >= local_times_kept) local_times.clear();
  return local_times.emplace(iso_utc, time_formatter(iso_utc)).first->second;
}

void time_text(std::string_view prefix, const std::string& iso_utc) {
  const std::string shown = std::string(prefix) + local_time(iso_utc);
  draw_muted(shown);
  const std::string utc = utc_time(iso_utc);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_DelayShort)) ImGui::SetTooltip("%s", utc.c_str());
  a11y::text(shown + " (" + utc + ")");
}

void time_cell(const std::string& iso_utc) {
  ImGui::TableNextColumn();
  const std::string shown = local_time(iso_utc);
  draw_text(shown);
  const std::string utc = utc_time(iso_utc);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_DelayShort)) ImGui::SetTooltip("%s", utc.c_str());
  cell_node(shown + " (" + utc + ")");
}

void status_dot(Tone tone) {
  const float radius = ImGui::GetFontSize() * 0.28f;
  const float frame_h = ImGui::GetFrameHeight();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(pos.x + radius, pos.y + frame_h * 0.5f), radius, tone_color(tone));
  ImGui::Dummy(ImVec2(radius * 2, frame_h));
  ImGui::SameLine();
}

std::string grouped_number(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[i];
    if ((n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
  }
  return out;
}

void grid_columns(const std::vector<GridColumn>& columns) {
  ImGui::TableSetupScrollFreeze(0, 1);
  std::vector<const char*> labels;
  labels.reserve(columns.size());
  for (const GridColumn& column : columns) {
    if (column.fixed_width > 0)
      ImGui::TableSetupColumn(column.label, ImGuiTableColumnFlags_WidthFixed, column.fixed_width);
    else
      ImGui::TableSetupColumn(column.label, 0, column.weight);
    labels.push_back(column.label);
  }
  grid_headers(labels);
}

}  // namespace invites::panels
