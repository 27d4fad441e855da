#include "panels/a11y.hpp"

#include "semantics/change_list.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <unordered_map>
#include <utility>

namespace invites::panels::a11y {
namespace {

using semantics::Key;
using semantics::Node;
using semantics::Role;

semantics::Tree* layer_tree = nullptr;
semantics::PageRequests* layer_requests = nullptr;
Key waiting_label = 0;    // labels the next field
bool focus_next = false;  // focus_next_item() was called
// The item this frame moved the UI's focus to (a page request or
// focus_next_item()): ImGui moves its focus there at the start of the next
// frame, and until then its focus may be the window's previous one.
Key focus_moved_to = 0;
Key last_field_key = 0;
Key last_text_key = 0;
// A text field ImGui should start editing: asked again each frame until it is
// active (a field in a window that is still sizing itself is clipped, and
// ImGui drops an activation it could not deliver).
Key activating = 0;
int activating_frames = 0;
constexpr int activation_attempts = 6;
Key last_pressed = 0;
// Dialogs on screen and what opened each (kept while the dialog is shown).
std::unordered_map<Key, Key> openers;

// The part of an ImGui label that is shown ("Close##job" -> "Close").
std::string_view shown_part(std::string_view label) {
  const char* begin = label.data();
  const char* end = ImGui::FindRenderedTextEnd(begin, begin + label.size());
  return std::string_view(begin, static_cast<std::size_t>(end - begin));
}

bool takes_label(Role role) { return role == Role::textbox || role == Role::combobox || role == Role::progressbar; }

semantics::Bounds last_item_bounds() {
  const ImRect& r = ImGui::GetCurrentContext()->LastItemData.Rect;
  return semantics::Bounds::from_px(r.Min.x, r.Min.y, r.GetWidth(), r.GetHeight());
}

}  // namespace

void set_context(semantics::Tree* tree, semantics::PageRequests* requests) {
  layer_tree = tree;
  layer_requests = requests;
}

bool on() { return layer_tree != nullptr; }
bool describing() { return on() && !ImGui::GetCurrentWindow()->SkipItems; }
semantics::Tree& tree() { return *layer_tree; }
semantics::PageRequests& requests() { return *layer_requests; }

Node last_item_node(Role role, std::string_view name, semantics::States states) {
  const ImGuiLastItemData& last = ImGui::GetCurrentContext()->LastItemData;
  Node node;
  node.key = last.ID;
  node.role = role;
  node.name = shown_part(name);
  node.bounds = last_item_bounds();
  node.states = states;
  if (last.InFlags & ImGuiItemFlags_Disabled) node.states |= semantics::disabled;
  return node;
}

Key add_item(Node node) {
  if (!describing()) return 0;
  if (node.key == 0) node.key = layer_tree->next_child_key(semantics::role_name(node.role));
  if (takes_label(node.role) && node.labelled_by == 0) node.labelled_by = waiting_label;
  if (takes_label(node.role)) waiting_label = 0;
  const Role role = node.role;
  const Key key = layer_tree->add(std::move(node));
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const bool is_last_item = g.LastItemData.ID == key;
  if (is_last_item && role != Role::textbox && (layer_requests->take_focus(key) || std::exchange(focus_next, false))) {
    ImGui::FocusItem();
    focus_moved_to = key;
  }
  if (is_last_item && layer_requests->wants_activation(key)) {
    if (g.LastItemData.StatusFlags & ImGuiItemStatusFlags_Visible) {
      layer_requests->take_activation(key);
      ImGui::ActivateItemByID(key);
    } else {
      ImGui::FocusItem();  // out of view: scroll to it and focus it; pressed a frame later
    }
  }
  return key;
}

bool take_activation(unsigned id) { return on() && layer_requests->take_activation(id); }

Key item(Role role, std::string_view name, semantics::States states) {
  if (!describing()) return 0;
  return add_item(last_item_node(role, name, states));
}

Key text(std::string_view shown, Role role, int level) {
  if (!describing() || shown.empty()) return 0;
  Node node;
  node.key = layer_tree->next_child_key("text");
  node.role = role;
  node.name = shown;
  node.level = static_cast<std::uint8_t>(level);
  node.bounds = last_item_bounds();
  last_text_key = layer_tree->add(std::move(node));
  return last_text_key;
}

Key label(std::string_view shown) {
  const Key key = text(shown_part(shown));
  waiting_label = key;
  return key;
}

Key pending_label() { return waiting_label; }
Key last_field() { return last_field_key; }
Key last_text() { return last_text_key; }

void mark_invalid(Key field, Key message) {
  if (!on()) return;
  Node* node = layer_tree->find(field);
  if (node == nullptr) return;
  node->states |= semantics::invalid;
  node->described_by = message;
}

Scope::Scope(Role role, std::string_view name, Key key, semantics::States states) {
  if (!describing()) return;
  Node node;
  node.key = key != 0 ? key : layer_tree->next_child_key(semantics::role_name(role));
  node.role = role;
  node.name = shown_part(name);
  node.states = states;
  key_ = layer_tree->open(std::move(node));
  open_ = true;
}

Scope::Scope(Node node) {
  if (!describing()) return;
  if (node.key == 0) node.key = layer_tree->next_child_key(semantics::role_name(node.role));
  key_ = layer_tree->open(std::move(node));
  open_ = true;
}

Key open(Node node) {
  if (!describing()) return 0;
  if (node.key == 0) node.key = layer_tree->next_child_key(semantics::role_name(node.role));
  return layer_tree->open(std::move(node));
}

Key open_table_part(Node node, bool table_drawn) {
  if (!on() || !table_drawn) return 0;
  if (node.key == 0) node.key = layer_tree->next_child_key(semantics::role_name(node.role));
  return layer_tree->open(std::move(node));
}

Key open_under(Key parent, Node node) {
  if (!describing()) return 0;
  if (node.key == 0) node.key = layer_tree->next_child_key(semantics::role_name(node.role));
  return layer_tree->open_under(parent, std::move(node));
}

void close() {
  if (on()) layer_tree->close();
}

Key open_child_window(Node node) {
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  if (!on() || (window->ParentWindow && window->ParentWindow->SkipItems)) return 0;
  node.bounds = semantics::Bounds::from_px(window->Pos.x, window->Pos.y, window->Size.x, window->Size.y);
  const Key key = layer_tree->open(std::move(node));
  if (!window->SkipItems) return key;
  const Node* before = layer_tree->find_previous(key);
  if (before == nullptr) return key;
  const Node& now = *layer_tree->find(key);
  const std::int32_t dx = now.bounds.x - before->bounds.x, dy = now.bounds.y - before->bounds.y;
  layer_tree->keep_previous_children(key, dx, dy);
  for (const Key waiting : layer_requests->waiting()) {
    const Node* target = layer_tree->find(waiting);
    if (target == nullptr || !layer_tree->was_inside(waiting, key) || window->ParentWindow == nullptr) continue;
    const semantics::Bounds b = layer_tree->bounds_on_canvas(*target);
    const ImVec2 min(static_cast<float>(b.x) / 4, static_cast<float>(b.y) / 4);
    const ImVec2 max(min.x + static_cast<float>(b.w) / 4, min.y + static_cast<float>(b.h) / 4);
    ImGui::ScrollToRect(window->ParentWindow, ImRect(min, max), ImGuiScrollFlags_KeepVisibleEdgeY);
    break;
  }
  return key;
}

Key current_parent() { return on() ? layer_tree->current_parent() : 0; }

void pressed(Key key) { last_pressed = key; }

Key opener_of(Key dialog) {
  if (!on()) return 0;
  const auto it = openers.find(dialog);
  if (it != openers.end()) return it->second;
  const Key opener = last_pressed != 0 ? last_pressed : layer_requests->dom_focus();
  openers.emplace(dialog, opener);
  return opener;
}

Scope::~Scope() {
  if (open_) layer_tree->close();
}

void announce(std::string_view source, semantics::Politeness politeness, std::string message) {
  if (on()) layer_tree->announce(semantics::hash_key(source, 0), politeness, std::move(message));
}

std::optional<Key> submitted() { return on() ? layer_requests->submitted() : std::nullopt; }

namespace {

// `key` is `container` or one of its descendants in the frame being built.
bool inside(Key key, Key container) {
  for (;;) {
    if (key == container) return true;
    const Node* node = layer_tree->find(key);
    if (node == nullptr || key == semantics::root_key) return false;
    key = node->parent;
  }
}

}  // namespace

bool submitted_in(Key container) {
  const std::optional<Key> from = submitted();
  return from && (*from == semantics::root_key || inside(*from, container));
}

bool copy_requested_in(Key container) {
  if (!on()) return false;
  const std::optional<Key> from = layer_requests->copy_requested();
  return from && inside(*from, container);
}

TextSync begin_text_field(unsigned id) {
  TextSync sync;
  if (!on()) return sync;
  ImGuiContext& g = *ImGui::GetCurrentContext();
  sync.edit = layer_requests->take_edit(id);
  if (layer_requests->take_focus(id) || std::exchange(focus_next, false)) {
    focus_moved_to = id;
    activating = id;
    activating_frames = activation_attempts;
  } else if (g.ActiveId == id && layer_requests->dom_focus() != id && activating != id) {
    ImGui::ClearActiveID();  // the page's focus left the input element: stop editing
  }
  if (activating == id && g.ActiveId == id) activating = 0;
  if (activating == id) {
    // Start editing next frame, keeping the caret where the page put it.
    g.NavNextActivateId = id;
    g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput | ImGuiActivateFlags_TryToPreserveState;
  }
  sync.editing = g.ActiveId == id;
  return sync;
}

Key end_text_field(semantics::InputKind input, std::string_view name, const std::string& value,
                   semantics::States states) {
  if (!describing()) return 0;
  Node node = last_item_node(Role::textbox, name, states);
  node.input = input;
  node.value = value;
  last_field_key = add_item(std::move(node));
  return last_field_key;
}

void focus_next_item() { focus_next = true; }

bool needs_frames() {
  if (!on()) return false;
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  return activating != 0 || g.NavNextActivateId != 0 || layer_requests->pending();
}

void begin_frame() {
  if (!on()) return;
  layer_tree->begin_frame();
  layer_requests->set_input_queued(ImGui::GetCurrentContext()->InputEventsQueue.Size > 0);
}

void finish_frame() {
  if (!on()) return;
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  Key focus = 0;
  const Node* active = g.ActiveId != 0 ? layer_tree->find(g.ActiveId) : nullptr;
  if (focus_moved_to != 0)
    focus = std::exchange(focus_moved_to, 0);  // not the stale one, which would pull the page's focus back
  else if (active != nullptr && active->role == Role::textbox)
    focus = g.ActiveId;
  else if (g.NavWindow != nullptr)
    focus = g.NavId;
  layer_tree->set_focus(focus);
  layer_requests->end_frame();
  std::erase_if(openers, [](const auto& entry) { return layer_tree->find(entry.first) == nullptr; });
  last_pressed = 0;
  waiting_label = 0;
  focus_next = false;
  if (activating != 0 && --activating_frames <= 0) activating = 0;
}

}  // namespace invites::panels::a11y
