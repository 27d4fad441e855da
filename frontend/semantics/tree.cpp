#include "semantics/tree.hpp"

#include <algorithm>
#include <cstdint>

namespace invites::semantics {

Key hash_key(std::string_view text, Key seed) {
  std::uint32_t hash = 2166136261u ^ seed;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  // Mix the seed's bits again so keys of short salts under near parents spread.
  hash ^= seed * 0x9e3779b1u;
  return hash == root_key ? 1 : hash;
}

void Tree::begin_frame() {
  previous_.swap(nodes_);
  previous_placement_.swap(placement_);
  previous_index_.swap(index_);
  nodes_.clear();
  placement_.clear();
  index_.clear();
  stack_.clear();
  root_children_ = 0;
  root_auto_children_ = 0;
  focus_ = root_key;
  previous_live_.swap(live_);
  live_.clear();
}

Key Tree::add(Node node) { return add_under(stack_.size(), std::move(node)); }

// Adds `node` as a child of the container at `stack_depth` (0: the root).
Key Tree::add_under(std::size_t stack_depth, Node node) {
  node.parent = stack_depth == 0 ? root_key : stack_[stack_depth - 1].key;
  Key key = node.key;
  for (std::uint32_t salt = 1; key == root_key || index_.contains(key); ++salt)
    key = hash_key(std::string_view(reinterpret_cast<const char*>(&salt), sizeof salt), node.key);
  node.key = key;
  std::uint32_t& siblings = stack_depth == 0 ? root_children_ : stack_[stack_depth - 1].children;
  index_.insert(key, static_cast<std::uint32_t>(nodes_.size()));
  placement_.push_back(Placement{node.parent, siblings++});
  nodes_.push_back(std::move(node));
  return key;
}

Key Tree::open(Node container) {
  const Key key = add(std::move(container));
  stack_.push_back(Open{key, 0, 0});
  return key;
}

Key Tree::open_under(Key parent, Node container) {
  std::size_t depth = stack_.size();
  while (depth > 0 && stack_[depth - 1].key != parent) --depth;
  const Key key = add_under(depth, std::move(container));
  stack_.push_back(Open{key, 0, 0});
  return key;
}

void Tree::close() {
  if (stack_.empty()) return;
  const std::uint32_t index = *index_.find(stack_.back().key);
  stack_.pop_back();
  if (places_children(nodes_[index].role)) place_children_of(index);
}

namespace {

bool placed(const Bounds& b) { return b != Bounds{}; }

}  // namespace

// The container's descendants were added right after it (it was open since):
// its bounds become their union, and theirs relative to its corner.
void Tree::place_children_of(std::uint32_t container_index) {
  Node& container = nodes_[container_index];
  std::vector<Key> inside{container.key};
  std::vector<std::uint32_t> descendants;
  std::int32_t left = INT32_MAX, top = INT32_MAX, right = INT32_MIN, bottom = INT32_MIN;
  const auto end = static_cast<std::uint32_t>(nodes_.size());
  for (std::uint32_t i = container_index + 1; i < end; ++i) {
    if (std::find(inside.begin(), inside.end(), nodes_[i].parent) == inside.end()) continue;
    inside.push_back(nodes_[i].key);
    descendants.push_back(i);
    const Bounds& b = nodes_[i].bounds;
    if (b.w <= 0 || b.h <= 0) continue;
    left = std::min(left, b.x);
    top = std::min(top, b.y);
    right = std::max(right, b.x + b.w);
    bottom = std::max(bottom, b.y + b.h);
  }
  if (left > right) return;  // nothing drawn: its nodes keep their bounds on the canvas
  container.bounds = Bounds{left, top, right - left, bottom - top};
  for (const std::uint32_t i : descendants) {
    Bounds& b = nodes_[i].bounds;
    if (!placed(b)) continue;
    b.x -= left;
    b.y -= top;
  }
}

Bounds Tree::bounds_on_canvas(const Node& node) const {
  Bounds b = node.bounds;
  for (const Node* parent = find(node.parent); parent != nullptr; parent = find(parent->parent)) {
    if (places_children(parent->role) && placed(parent->bounds)) {
      b.x += parent->bounds.x;
      b.y += parent->bounds.y;
    }
  }
  return b;
}

Key Tree::next_child_key(std::string_view salt) {
  std::uint32_t& counter = stack_.empty() ? root_auto_children_ : stack_.back().auto_children;
  const Key parent = current_parent();
  return hash_key(salt, parent * 31u + ++counter);
}

void Tree::announce(Key source, Politeness politeness, std::string text) {
  if (text.empty()) return;
  live_.push_back(Live{source, Announcement{politeness, std::move(text)}});
}

const Node* Tree::find(Key key) const {
  const auto position = index_.find(key);
  return position ? &nodes_[*position] : nullptr;
}

const Node* Tree::find_previous(Key key) const {
  const auto position = previous_index_.find(key);
  return position ? &previous_[*position] : nullptr;
}

bool Tree::was_inside(Key key, Key container) const {
  for (const Node* node = find_previous(key); node != nullptr; node = find_previous(node->parent)) {
    if (node->parent == container) return true;
    if (node->parent == root_key) return false;
  }
  return false;
}

void Tree::keep_previous_children(Key container, std::int32_t dx, std::int32_t dy) {
  for (std::uint32_t i = 0; i < previous_.size(); ++i) {
    const Node& old = previous_[i];
    if (index_.contains(old.key) || !was_inside(old.key, container)) continue;
    Node node = old;
    const Node* parent = find_previous(old.parent);
    // What a row holds moves with the row (unless nothing in it was drawn, so its place is its nodes').
    if (parent == nullptr || !places_children(parent->role) || !placed(parent->bounds)) {
      node.bounds.x += dx;
      node.bounds.y += dy;
    }
    index_.insert(node.key, static_cast<std::uint32_t>(nodes_.size()));
    placement_.push_back(previous_placement_[i]);
    nodes_.push_back(std::move(node));
  }
}

Node* Tree::find(Key key) {
  const auto position = index_.find(key);
  return position ? &nodes_[*position] : nullptr;
}

void Tree::reset() {
  // Called between frames: the last frame's nodes are what the next one is compared with.
  nodes_.clear();
  placement_.clear();
  index_.clear();
  live_.clear();
  last_focus_ = root_key;
}

const Changes& Tree::end_frame() {
  stack_.clear();
  diff();
  return changes_;
}

void Tree::diff() {
  changes_ = Changes{};

  for (const Node& old : previous_)
    if (!index_.contains(old.key)) changes_.removed.push_back(old.key);

  std::vector<Key> moved_parents;  // parents whose children list differs
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    const auto old = previous_index_.find(node.key);
    if (!old) {
      changes_.upserts.push_back(Upsert{i, all_fields});
      moved_parents.push_back(placement_[i].parent);
      continue;
    }
    const Fields fields = differing_fields(previous_[*old], node);
    if (fields != 0) changes_.upserts.push_back(Upsert{i, fields});
    const Placement& was = previous_placement_[*old];
    if (was.parent != placement_[i].parent || was.index != placement_[i].index)
      moved_parents.push_back(placement_[i].parent);
  }
  // A parent that lost children only needs the removals, unless the rest moved.
  std::sort(moved_parents.begin(), moved_parents.end());
  moved_parents.erase(std::unique(moved_parents.begin(), moved_parents.end()), moved_parents.end());
  collect_reordered(moved_parents);

  if (focus_ != last_focus_ && focus_ != root_key && index_.contains(focus_)) changes_.focus = focus_;
  last_focus_ = focus_;

  for (const Live& live : live_) {
    const auto before = std::find_if(previous_live_.begin(), previous_live_.end(),
                                     [&](const Live& old) { return old.source == live.source; });
    if (before != previous_live_.end() && before->announcement == live.announcement) continue;
    const auto& said = changes_.announcements;
    if (std::find(said.begin(), said.end(), live.announcement) != said.end()) continue;
    changes_.announcements.push_back(live.announcement);
  }
}

void Tree::collect_reordered(const std::vector<Key>& parents) {
  if (parents.empty()) return;
  changes_.reordered.reserve(parents.size());
  for (const Key parent : parents) changes_.reordered.push_back(Reorder{parent, {}});
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
    const Key parent = placement_[i].parent;
    const auto it = std::lower_bound(parents.begin(), parents.end(), parent);
    if (it != parents.end() && *it == parent)
      changes_.reordered[static_cast<std::size_t>(it - parents.begin())].children.push_back(nodes_[i].key);
  }
}

}  // namespace invites::semantics
