#pragma once
// Small widgets the panels share: text, headings, buttons, check boxes,
// form rows, the multi-select combo, link buttons, tabs, tables, dialogs,
// progress bars, status dots, wrapped colored messages.
//
// Each helper draws with ImGui and describes what it drew to the page's
// accessibility layer (panels/a11y): role, accessible name, value, states
// and relations. Panels draw through these helpers, so every control has a
// role, a name and a keyboard path without code at the call site.

#include "app/state.hpp"
#include "panels/style.hpp"
#include "semantics/node.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

struct ImFont;
struct ImVec2;

namespace invites::panels {

// A card: a bordered child window with padding. `size` as ImGui::BeginChild
// (0 = fill the space); CardHeight::fit_content grows it to its content
// instead. Every begin_card needs its end_card. For screen readers it is one
// group named `name` (or a form, or a dialog: `role`); a dialog takes the
// focus when it appears and gives it back to what opened it when it goes.
enum class CardHeight { given, fit_content };
void begin_card(const char* id, const ImVec2& size, CardHeight height = CardHeight::given, std::string_view name = {},
                semantics::Role role = semantics::Role::group);
void end_card();
// Escape was pressed while the keyboard focus was inside the dialog card
// (begin_card with Role::dialog) being drawn (in the frame before: by now
// ImGui's navigation has moved it out), as a dialog is dismissed on a web
// page. Call right after begin_card().
bool escape_pressed_in_card();
// The key of the card being drawn (for enter_submits(), copy_requested_in()).
semantics::Key current_card();

// Frames since the caller, named by `id` in the current window, was last drawn
// again after an absence: 0 the frame it appears. For effects when something
// appears: focus its first field, scroll it into view.
int frames_since_shown(const char* id);

// --- text --------------------------------------------------------------------
void text(std::string_view shown);
// In the muted (secondary) text color.
void muted_text(std::string_view shown);
// Wrapped at the window's edge.
void wrapped_text(std::string_view shown);
void wrapped_muted_text(std::string_view shown);
// Wrapped text in a tone's color.
void tone_text(Tone tone, const std::string& shown);
// A title: `font` (the title font) or the body font; level 1 for a screen, 2 for a card.
void heading(std::string_view shown, ImFont* font = nullptr, int level = 2);
// A card's small muted title with a separator under it.
void card_heading(std::string_view shown);
// A message screen readers say when it appears or changes (a live region):
// errors (Tone::bad) at once, the others when the reader is idle.
// `source` tells apart messages that may show at once.
void announced_text(Tone tone, const std::string& shown, std::string_view source);
// Only says `message` (nothing drawn): e.g. the counts after Load.
void announce(std::string_view source, const std::string& message, bool urgent = false);

// --- line layout -------------------------------------------------------------
// Keeps the next item on the current line when `next_width` fits beside the
// last one, else lets it start the next line (a phone: nothing sideways).
void same_line_if_fits(float next_width);
// The width of a button (small: ImGui::SmallButton) with this label.
float button_width(const char* label);

// --- form rows ---------------------------------------------------------------
// A form row: the label at the left, the widget after it at `label_width`;
// the label names the next field for screen readers.
void form_label(const char* label, float label_width);
// Rows of a label and its field: side by side when the card is wide enough,
// the label above a full-width field when it is narrow (a phone).
struct FormRows {
  float label_width = 0;  // 0: labels above their fields
  float field_width = 0;
  void label(const char* text) const;  // the label; the field comes next
  void indent() const;                 // the cursor to the fields' column (for notes under a field)
};
FormRows form_rows(float preferred_field_width, float label_width = form_label_width);

// A label on its own line above the next field, naming it for screen readers.
void field_label(const char* label);
// The problem with the last field drawn, under it: marks the field invalid
// and makes this text its description.
void field_problem(const std::string& problem);

// Enter was pressed in a field or check box inside the form `form` (a
// container key, see Card), or with nothing focused: "submit".
bool enter_submits(semantics::Key form);

// --- controls ----------------------------------------------------------------
bool button(const char* label, const ImVec2& size);
bool button(const char* label);
// `name`: the accessible name when the label alone is not enough ("Copy" → "Copy address a@b.example").
bool small_button(const char* label, std::string_view name = {});
// The last item drawn has the keyboard focus.
bool item_has_focus();
bool checkbox(const char* label, bool* value);
// A selectable line: a button (`role` button, the default) or an entry of a
// list (`role` option).
bool selectable(const char* label, bool selected, int flags = 0, semantics::Role role = semantics::Role::button);

// A combo box; between a true return and end_combo() its entries are the
// options of its list. `name`: its accessible name when no form label names it.
bool begin_combo(const char* id, const char* preview, int flags = 0, bool multiselect = false);
void end_combo();
// An option of the open combo's list: a check box drawn, selected = `*value`.
bool option_checkbox(const char* label, bool* value);

// A combo whose popup holds an "All" checkbox and one checkbox per item.
// Preview: "All", the single name, or "N selected".
struct MultiSelectEvents {
  std::function<void()> select_all;
  std::function<void(Id, bool)> set;
};
void multi_select_combo(const char* id, const std::vector<app::LookupItem>& items, const std::vector<Id>& selected,
                        float width, const MultiSelectEvents& events);

// Text drawn like a hyperlink (accent color, underline and hand cursor on
// hover); returns true when clicked. `id` names the item for the UI probe;
// `name` is its accessible name (default: the text).
bool link_button(const char* id, const char* text, ImFont* font, std::string_view name = {});

// A button at the right end of the current line (after what is already on
// it when the line is full); true when clicked.
bool right_aligned_button(const char* label);

// A filled accent button; disabled (greyed, not clickable) when !enabled.
bool primary_button(const char* label, float width, bool enabled);

// A progress bar with its figures for screen readers ("done of total").
void progress_bar(float fraction, const ImVec2& size, const char* overlay, std::string_view name, std::int64_t done,
                  std::int64_t total);

// --- containers --------------------------------------------------------------
// Tabs: a tab list; each selected tab's content is its tab panel.
bool begin_tab_bar(const char* id, std::string_view name);
void end_tab_bar();
// ImGui::BeginTabItem whose tab carries its label for the UI probe (browser tests).
bool begin_tab(const char* label, int flags = 0);
void end_tab();

// A modal dialog (ImGui popup modal) with its title as accessible name; the
// page keeps Tab inside it and gives the focus back to what opened it.
bool begin_dialog(const char* title, int window_flags = 0);
void end_dialog();

// Tables as grids: `rows` all data rows (virtualized tables draw only some).
bool begin_grid(const char* id, int columns, int table_flags, const ImVec2& size, std::string_view name,
                std::int64_t rows);
void end_grid();
// The header row with `labels` (one per column, set up with ImGui::TableSetupColumn).
void grid_headers(const std::vector<const char*>& labels);
// Data row `index` (0-based among all rows); its cells follow until the next row or end_grid().
void grid_row(std::int64_t index, bool selected = false);
// The next cell with text (`framed`: aligned with the controls of a row that has some).
void grid_cell(std::string_view shown, bool framed = false);
void grid_muted_cell(std::string_view shown, bool framed = false);
void grid_tone_cell(Tone tone, const std::string& shown);
// The next cell holding a control (drawn by the caller until the next cell or row).
void grid_control_cell();

// The grid being drawn (its key, for copy_requested_in()).
semantics::Key current_grid();
// Ctrl+C was pressed with the focus inside `container`.
bool copy_requested_in(semantics::Key container);

// Rows selected in a table with the keyboard or the mouse: the row holding
// the focus, extended from where Shift was first held (Shift+arrows,
// Shift+click). Ctrl+C copies them.
class RowSelection {
 public:
  // After drawing row `index`: `focused` when one of its items has the focus.
  void row_drawn(std::int64_t index, bool focused);
  // Draws the selected look behind row `index` (call in the row, after grid_row()).
  void highlight(std::int64_t index) const;
  bool contains(std::int64_t index) const { return index >= first() && index <= last(); }
  std::int64_t first() const { return std::min(anchor_, focus_); }  // -1: none
  std::int64_t last() const { return std::max(anchor_, focus_); }
  void clear() { anchor_ = focus_ = -1; }

 private:
  std::int64_t anchor_ = -1, focus_ = -1;
};

// Times: shown in the browser's time zone and locale, with the UTC time in
// the accessible name and the tooltip. The page gives the formatter
// (platform/local_time); without one, times show in UTC.
using TimeFormatter = std::string (*)(const std::string& iso_utc);
void set_time_formatter(TimeFormatter formatter);
// "2026-11-01T09:30:00Z" → e.g. "Nov 1, 2026, 10:30 AM" (the browser's zone and locale).
std::string local_time(const std::string& iso_utc);
// "2026-11-01T09:30:00Z" → "2026-11-01 09:30 UTC"
std::string utc_time(const std::string& iso_utc);
// `prefix` + the local time, muted; the UTC time in its name and tooltip.
void time_text(std::string_view prefix, const std::string& iso_utc);
void time_cell(const std::string& iso_utc);

// A small colored dot, vertically centered on the frame line.
void status_dot(Tone tone);

// 1234567 → "1,234,567"
std::string grouped_number(std::uint64_t value);

// One column of a grid: its header and its share of the width, or a fixed width.
struct GridColumn {
  const char* label;
  float weight = 1.0f;       // share of the width (stretch columns)
  float fixed_width = 0.0f;  // > 0: this many pixels instead
};
// After begin_grid: the columns, the header row kept in view while the rows
// scroll, and the headers (grid_headers) with the same labels.
void grid_columns(const std::vector<GridColumn>& columns);

}  // namespace invites::panels
