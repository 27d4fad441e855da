#include "semantics/tree.hpp"

#include <algorithm>

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
  for (std::uint32_t salt = 1; key == root_key || index_.count(key) != 0; ++salt)
    key = hash_key(std::string_view(reinterpret_cast<const char*>(&salt), sizeof salt), node.key);
  node.key = key;
  std::uint32_t& siblings = stack_depth == 0 ? root_children_ : stack_[stack_depth - 1].children;
  index_.emplace(key, static_cast<std::uint32_t>(nodes_.size()));
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
  if (!stack_.empty()) stack_.pop_back();
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
  const auto it = index_.find(key);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

const Node* Tree::find_previous(Key key) const {
  const auto it = previous_index_.find(key);
  return it == previous_index_.end() ? nullptr : &previous_[it->second];
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
    if (index_.count(old.key) != 0 || !was_inside(old.key, container)) continue;
    Node node = old;
    node.bounds.x += dx;
    node.bounds.y += dy;
    index_.emplace(node.key, static_cast<std::uint32_t>(nodes_.size()));
    placement_.push_back(previous_placement_[i]);
    nodes_.push_back(std::move(node));
  }
}

Node* Tree::find(Key key) {
  const auto it = index_.find(key);
  return it == index_.end() ? nullptr : &nodes_[it->second];
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
    if (index_.count(old.key) == 0) changes_.removed.push_back(old.key);

  std::vector<Key> moved_parents;  // parents whose children list differs
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    const auto old = previous_index_.find(node.key);
    if (old == previous_index_.end()) {
      changes_.upserts.push_back(Upsert{i, all_fields});
      moved_parents.push_back(placement_[i].parent);
      continue;
    }
    const Fields fields = differing_fields(previous_[old->second], node);
    if (fields != 0) changes_.upserts.push_back(Upsert{i, fields});
    const Placement& was = previous_placement_[old->second];
    if (was.parent != placement_[i].parent || was.index != placement_[i].index)
      moved_parents.push_back(placement_[i].parent);
  }
  // A parent that lost children only needs the removals, unless the rest moved.
  std::sort(moved_parents.begin(), moved_parents.end());
  moved_parents.erase(std::unique(moved_parents.begin(), moved_parents.end()), moved_parents.end());
  collect_reordered(moved_parents);

  if (focus_ != last_focus_ && focus_ != root_key && index_.count(focus_) != 0) changes_.focus = focus_;
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
