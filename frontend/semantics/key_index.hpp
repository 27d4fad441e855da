#pragma once
// Where each key of a frame sits in the frame's node list: an open-addressing
// table of keys, filled anew every frame. A frame adds a few hundred nodes;
// with std::unordered_map each one cost an allocation and a free, which was a
// good part of describing a frame in WebAssembly.

#include "semantics/node.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace invites::semantics {

class KeyIndex {
 public:
  // Empties the table, keeping its memory for the next frame.
  void clear();
  // Adds `key` (never root_key, not present yet) at `position`.
  void insert(Key key, std::uint32_t position);
  std::optional<std::uint32_t> find(Key key) const;
  bool contains(Key key) const { return find(key).has_value(); }
  void swap(KeyIndex& other) noexcept;

 private:
  struct Slot {
    Key key = root_key;  // root_key: empty
    std::uint32_t position = 0;
  };
  void grow();
  std::vector<Slot> slots_;  // a power of two, at most half full
  std::size_t size_ = 0;
};

}  // namespace invites::semantics
