#pragma once
// One node of the semantic tree: what a screen reader, the keyboard and the
// browser need to know about one thing the UI drew this frame (its role,
// accessible name, value, states, place on the canvas and relations). The
// panels describe what they draw as nodes (through the shared widget
// helpers); semantics::Tree compares frames and the page's DOM layer
// (web/a11y_layer.js) mirrors the changes. No ImGui, no browser: plain data.

#include <cstdint>
#include <string>

namespace invites::semantics {

// Stable across frames: the ImGui ID of an interactive item, or a hash of a
// container's or a text's place in the UI. 0 is the layer's root.
using Key = std::uint32_t;
inline constexpr Key root_key = 0;

// The roles the app uses (WAI-ARIA names; web/a11y_layer.js maps them to elements).
enum class Role : std::uint8_t {
  text,     // static text
  heading,  // a card's or a screen's title (level)
  group,    // a card or a row of controls; named by its heading when it has one
  form,     // a set of fields that Enter submits (login, filters)
  main,     // the screen's body
  button,
  link,
  checkbox,
  combobox,  // a closed or open drop-down (expanded state, controls its listbox)
  listbox,   // the drop-down's list (multiselectable)
  option,    // an entry of a listbox (selected state)
  textbox,   // one line, several lines, password, email, search (InputKind)
  tablist,
  tab,  // selected state, controls its tabpanel
  tabpanel,
  grid,          // the recipient review, the failed recipients (row_count, virtualized)
  row,           // row_index (1-based, the header row is 1)
  columnheader,  // sort
  gridcell,
  dialog,       // modal: the rest of the layer is inert; opener gets the focus back
  progressbar,  // value_now of value_max, value text in `value`
};

// Boolean states, one bit each.
enum State : std::uint16_t {
  checked = 1 << 0,
  selected = 1 << 1,
  expanded = 1 << 2,  // only meaningful with `expandable`
  expandable = 1 << 3,
  disabled = 1 << 4,
  invalid = 1 << 5,  // the message is the node named by `described_by`
  read_only = 1 << 6,
  multiselectable = 1 << 7,
  modal = 1 << 8,
  busy = 1 << 9,
  current = 1 << 10,  // e.g. the recipient whose email is previewed
};
using States = std::uint16_t;

// What a textbox holds: decides the input element's type and autocomplete,
// so password managers, on-screen keyboards and the browser's own spell
// checking behave as on any web form.
enum class InputKind : std::uint8_t {
  none,              // not a textbox
  text,              // plain one-line text (autocomplete off)
  username,          // autocomplete=username
  current_password,  // type=password autocomplete=current-password
  email,             // type=email
  search,            // type=search, autocomplete off
  multiline,         // <textarea>
};

enum class Sort : std::uint8_t { none, ascending, descending };

// Position on the canvas in CSS pixels, kept in quarter pixels so tiny
// float noise does not count as a change.
struct Bounds {
  std::int32_t x = 0, y = 0, w = 0, h = 0;  // quarter CSS px
  static Bounds from_px(float x, float y, float w, float h);
  friend bool operator==(const Bounds&, const Bounds&) = default;
};

// A row is placed on the canvas as one piece: its bounds enclose its cells,
// whose own bounds are relative to the row's corner. A list that scrolls then
// moves each row, while its cells stay where they are within it.
constexpr bool places_children(Role role) { return role == Role::row; }

struct Node {
  Key key = root_key;
  Key parent = root_key;  // filled in by Tree::add from the open containers
  Role role = Role::text;
  std::string name;   // accessible name (for text: the text)
  std::string value;  // textbox text, combobox choice, progress text
  States states = 0;
  InputKind input = InputKind::none;
  Sort sort = Sort::none;
  std::uint8_t level = 0;  // heading level
  Bounds bounds;           // on the canvas; relative to the parent's corner when the parent places_children()
  // Relations (0: none).
  Key labelled_by = 0;   // the visible label of a field, the heading of a group, the tab of a tabpanel
  Key described_by = 0;  // help or error text (with `invalid`)
  Key controls = 0;      // the listbox of a combobox, the tabpanel of a tab
  Key opener = 0;        // the control that opened a dialog: focus goes back to it
  // Grid and progress figures (0 when unused).
  std::int64_t row_count = 0;                 // grid: all rows, header included, not only the ones on screen
  std::int64_t row_index = 0;                 // row: 1-based position among all rows
  std::int64_t col_count = 0;                 // grid: columns
  std::int64_t value_now = 0, value_max = 0;  // progressbar
};

// Which fields of a node differ from the previous frame (bit per field).
enum Field : std::uint16_t {
  field_role = 1 << 0,
  field_name = 1 << 1,
  field_value = 1 << 2,
  field_states = 1 << 3,
  field_input = 1 << 4,
  field_sort = 1 << 5,
  field_level = 1 << 6,
  field_bounds = 1 << 7,
  field_relations = 1 << 8,
  field_figures = 1 << 9,
  field_parent = 1 << 10,
  all_fields = (1 << 11) - 1,
};
using Fields = std::uint16_t;

// The fields in which `a` and `b` differ (the key is not compared).
Fields differing_fields(const Node& a, const Node& b);

// Live regions: polite (status: results, job progress) or assertive (alert: errors).
enum class Politeness : std::uint8_t { polite, assertive };

struct Announcement {
  Politeness politeness = Politeness::polite;
  std::string text;
  friend bool operator==(const Announcement&, const Announcement&) = default;
};

}  // namespace invites::semantics
