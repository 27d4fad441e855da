#pragma once
// The semantic tree of one frame and what changed since the previous one.
//
// Each frame the UI opens containers and adds nodes in document order (which
// is the visual order, so it is also the Tab order), says which node has the
// keyboard focus and which live messages are on screen. end_frame() compares
// with the previous frame and returns a compact change list: the nodes that
// are new or differ (only the differing fields), the ones that are gone, the
// containers whose children changed order, a focus move and the live
// messages to announce. A frame without change gives an empty list, so the
// DOM layer is not touched at all.

#include "semantics/key_index.hpp"
#include "semantics/node.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace invites::semantics {

struct Upsert {
  std::uint32_t index = 0;  // into Tree::nodes()
  Fields fields = 0;        // all_fields for a node that is new
};

struct Reorder {
  Key parent = root_key;
  std::vector<Key> children;  // all of them, in document order
};

struct Changes {
  std::vector<Upsert> upserts;  // in document order: a parent comes before its children
  std::vector<Key> removed;
  std::vector<Reorder> reordered;
  Key focus = root_key;  // != root_key: move the focus to this node
  std::vector<Announcement> announcements;
  bool empty() const {
    return upserts.empty() && removed.empty() && reordered.empty() && focus == root_key && announcements.empty();
  }
};

class Tree {
 public:
  void begin_frame();

  // Adds a node under the innermost open container (its `parent` is set
  // here). A key already used this frame is made unique (a second item with
  // the same ImGui ID must not replace the first one's element).
  // Returns the key the node got.
  Key add(Node node);
  // Adds a container node and makes it the parent of what follows until close().
  // Nodes are added with their bounds on the canvas; closing a container that
  // places_children() makes its bounds enclose its descendants' and theirs
  // relative to it.
  Key open(Node container);
  // The same, but as a child of the open container `parent` rather than the
  // innermost one: a tab's panel is drawn while the tab list is open, yet it
  // belongs beside the list, not in it.
  Key open_under(Key parent, Node container);
  void close();
  // The innermost open container (root_key when none).
  Key current_parent() const { return stack_.empty() ? root_key : stack_.back().key; }
  // A key for the next node without an ImGui ID (text, containers) under the
  // current container: stable while the UI keeps its structure.
  Key next_child_key(std::string_view salt = {});

  // The node with the keyboard focus this frame (root_key: none / not described).
  void set_focus(Key key) { focus_ = key; }
  // A live message shown this frame; `source` names where it comes from (the
  // Load result, an error line...). It is announced the first frame it appears
  // or when its text changes, never again while it stays the same.
  void announce(Key source, Politeness politeness, std::string text);

  const Changes& end_frame();

  // The nodes of the frame in document order (after end_frame(): of the last frame).
  const std::vector<Node>& nodes() const { return nodes_; }
  // The node with `key` in the frame being built or the last one ended; nullptr if none.
  const Node* find(Key key) const;
  // The same, to amend a node of the frame being built (a field found invalid after it was added).
  Node* find(Key key);

  // The bounds of `node` of this frame on the canvas (what it holds is relative
  // to its row's corner inside a row).
  Bounds bounds_on_canvas(const Node& node) const;

  // The node with `key` in the frame before (nullptr if none).
  const Node* find_previous(Key key) const;
  // `key` lay inside `container` in the frame before.
  bool was_inside(Key key, Key container) const;
  // Adds again, under `container` (just opened), everything it held in the
  // frame before, moved by (dx, dy) quarter pixels: a card scrolled out of
  // view draws nothing, but the page should still read it.
  void keep_previous_children(Key container, std::int32_t dx, std::int32_t dy);

  // Forget everything (the next frame is all new): after the page's layer was rebuilt.
  void reset();

 private:
  struct Open {
    Key key;
    std::uint32_t children;       // added so far this frame
    std::uint32_t auto_children;  // keys handed out by next_child_key()
  };
  struct Placement {
    Key parent;
    std::uint32_t index;  // among its parent's children
  };
  struct Live {
    Key source;
    Announcement announcement;
  };

  Key add_under(std::size_t stack_depth, Node node);
  void place_children_of(std::uint32_t container_index);
  void diff();
  void collect_reordered(const std::vector<Key>& parents);

  std::vector<Node> nodes_;
  std::vector<Placement> placement_;
  KeyIndex index_;
  std::vector<Node> previous_;
  std::vector<Placement> previous_placement_;
  KeyIndex previous_index_;
  std::vector<Open> stack_;
  std::uint32_t root_children_ = 0;
  std::uint32_t root_auto_children_ = 0;
  Key focus_ = root_key;
  Key last_focus_ = root_key;
  std::vector<Live> live_;
  std::vector<Live> previous_live_;
  Changes changes_;
};

// 32-bit FNV-1a of `text`, continuing from `seed` (keys of nodes without an ImGui ID).
Key hash_key(std::string_view text, Key seed);

}  // namespace invites::semantics
