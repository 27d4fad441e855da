#pragma once
// How the widget helpers describe what they draw to the semantic tree
// (semantics::Tree), and how the page's requests (semantics::PageRequests)
// reach ImGui: the ImGui side of the accessibility layer. Panels do not call
// this directly; they use the helpers of panels/widgets and panels/text_field,
// which call it right after drawing their ImGui item.
//
// Without a context (set_context(nullptr, nullptr)) everything here does
// nothing, so the panels also run without the layer (native tests of other
// parts, the benchmark's comparison).

#include "semantics/page_requests.hpp"
#include "semantics/tree.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace invites::panels::a11y {

void set_context(semantics::Tree* tree, semantics::PageRequests* requests);
bool on();
// On, and the current window draws its items (a child window scrolled out of
// view skips them: ImGui's last item is then not theirs).
bool describing();
semantics::Tree& tree();
semantics::PageRequests& requests();

// A node for the last ImGui item: its ID as key (an auto key for items
// without one), its rectangle as bounds, `disabled` when ImGui disables it.
semantics::Node last_item_node(semantics::Role role, std::string_view name, semantics::States states = 0);

// Adds `node` (made by last_item_node) and applies the page's requests for
// it: the page's focus moved there (ImGui's focus follows and scrolls to it),
// or it was activated (ImGui presses it next frame). A field gets the
// pending label (label()) as its labelled_by. Returns the node's key.
semantics::Key add_item(semantics::Node node);

// Takes the page's request to activate the item with ImGui ID `id`, for an
// item the caller activates itself before drawing it (a tab: selected
// directly, in view or not). Whether there was one.
bool take_activation(unsigned id);

// Shorthand: add_item(last_item_node(role, name, states)).
semantics::Key item(semantics::Role role, std::string_view name, semantics::States states = 0);

// Static text just drawn by ImGui (the last item's rectangle).
semantics::Key text(std::string_view text, semantics::Role role = semantics::Role::text, int level = 0);

// Text that labels the next field (a form row's label): the field gets it as labelled_by.
semantics::Key label(std::string_view text);
// The label waiting for its field (0: none).
semantics::Key pending_label();
// The last text field described, and the last text.
semantics::Key last_field();
semantics::Key last_text();
// Marks `field` invalid, described by the text `message` (its problem).
void mark_invalid(semantics::Key field, semantics::Key message);

// A container from here until the Scope ends: its children are the nodes
// added meanwhile. `key` 0: an auto key under the current container.
class Scope {
 public:
  Scope(semantics::Role role, std::string_view name, semantics::Key key = 0, semantics::States states = 0);
  // Takes a node prepared by the caller (relations, figures).
  explicit Scope(semantics::Node node);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  semantics::Key key() const { return key_; }

 private:
  semantics::Key key_ = 0;
  bool open_ = false;
};

// The child window just begun (BeginChild) as a container. When it is out of
// view ImGui skips its items: it then keeps what it held last frame (moved
// with it), and a focus or activation waiting for one of those scrolls its
// parent to it. Returns the key (0: not described).
semantics::Key open_child_window(semantics::Node node);

// The same for containers whose Begin/End are not in one C++ scope (tab bars,
// popups): open() returns the key (0: not described), close() ends the innermost one.
semantics::Key open(semantics::Node node);
// The same for a table's grid and rows: ImGui skips a row's items until its
// first cell, so whether the table draws decides (`table_drawn`).
semantics::Key open_table_part(semantics::Node node, bool table_drawn);
// Opens `node` as a child of the open container `parent` (a tab's panel beside the tab list).
semantics::Key open_under(semantics::Key parent, semantics::Node node);
void close();
semantics::Key current_parent();

// The control the user pressed last (a dialog that appears next records it as its opener).
void pressed(semantics::Key key);
// The opener of the dialog `dialog`: what was pressed (or had the page's
// focus) the frame the dialog first appeared.
semantics::Key opener_of(semantics::Key dialog);

// A live message while it is on screen (announced once per appearance or change).
void announce(std::string_view source, semantics::Politeness politeness, std::string text);

// Enter was pressed in a form field or a checkbox of the page (not in a
// multi-line field) this frame: `from` the node (root_key: nothing focused).
std::optional<semantics::Key> submitted();
// Enter submitted from a node inside `container` (a form), or with nothing focused.
bool submitted_in(semantics::Key container);
// Ctrl+C was pressed this frame with `key`'s node focused (or with the focus
// inside a container with that key).
bool copy_requested_in(semantics::Key container);

// The next item described takes the keyboard focus (and the page's focus),
// e.g. the first empty field of a form when it appears. (ImGui's own
// SetKeyboardFocusHere() does not reach an item in a window nothing was
// focused in yet.)
void focus_next_item();

// --- text fields (panels/text_field) -----------------------------------------
// Before the ImGui text field with ID `id` is drawn: the page's pending text
// and selection for it, and whether ImGui should start or stop editing it
// (the page's focus moved into or out of its input element).
struct TextSync {
  std::optional<semantics::TextEdit> edit;
  bool editing = false;  // ImGui has the field active (its text comes from the page)
};
TextSync begin_text_field(unsigned id);
// After drawing it: describes the field (value: the text now).
semantics::Key end_text_field(semantics::InputKind input, std::string_view name, const std::string& value,
                              semantics::States states = 0);

// After ImGui::NewFrame(), before the panels: a new frame of the tree.
void begin_frame();
// After the frame's panels: ImGui's focus for the tree, and requests that
// found no item are dropped.
void finish_frame();

// Something started this frame needs more frames (ImGui activates a field or
// presses an item on the next frame; a page request is waiting).
bool needs_frames();

}  // namespace invites::panels::a11y
