#pragma once
// Small widgets the panels share: form rows, the multi-select combo, link
// buttons, status dots, primary buttons, wrapped colored messages.

#include "app/state.hpp"
#include "panels/style.hpp"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

struct ImFont;
struct ImVec2;

namespace invites::panels {

// A card: a bordered child window with padding. `size` as ImGui::BeginChild
// (0 = fill the space); CardHeight::fit_content grows it to its content
// instead. Every begin_card needs its end_card.
enum class CardHeight { given, fit_content };
void begin_card(const char* id, const ImVec2& size, CardHeight height = CardHeight::given);
void end_card();

// Frames since the caller, named by `id` in the current window, was last drawn
// again after an absence: 0 the frame it appears. For effects when something
// appears: focus its first field, scroll it into view.
int frames_since_shown(const char* id);

// A form row: the label at the left, the widget after it at `label_width`.
void form_label(const char* label, float label_width);

// Enter (or keypad Enter) went down this frame.
bool enter_pressed();
// Enter was pressed in the focused window and nothing consumed it (no item
// active or activated by keyboard navigation, no popup open): "submit".
bool enter_submits();

// ImGui::BeginCombo whose item carries its label for the UI probe (browser tests).
bool begin_combo(const char* id, const char* preview, int flags = 0);

// A combo whose popup holds an "All" checkbox and one checkbox per item.
// Preview: "All", the single name, or "N selected".
struct MultiSelectEvents {
  std::function<void()> select_all;
  std::function<void(Id, bool)> set;
};
void multi_select_combo(const char* id, const std::vector<app::LookupItem>& items, const std::vector<Id>& selected,
                        float width, const MultiSelectEvents& events);

// Text drawn like a hyperlink (accent color, underline and hand cursor on
// hover); returns true when clicked. `id` names the item for the UI probe.
bool link_button(const char* id, const char* text, ImFont* font);

// A button at the right end of the current line (after what is already on
// it when the line is full); true when clicked.
bool right_aligned_button(const char* label);

// A filled accent button; disabled (greyed, not clickable) when !enabled.
bool primary_button(const char* label, float width, bool enabled);

// A list table: striped rows, outer and column borders, resizable columns
// sized by weight, a vertical scroll with the header row frozen. Columns
// are (header, weight); `height` in px. Returns ImGui::BeginTable's result
// (call ImGui::EndTable when true).
bool begin_list_table(const char* id, std::initializer_list<std::pair<const char*, float>> columns, float height);

// A small colored dot, vertically centered on the frame line.
void status_dot(Tone tone);

// 1234567 → "1,234,567"
std::string grouped_number(std::uint64_t value);

// Wrapped text in a tone's color.
void tone_text(Tone tone, const std::string& text);

}  // namespace invites::panels
