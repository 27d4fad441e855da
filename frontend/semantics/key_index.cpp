#include "semantics/key_index.hpp"

#include <algorithm>
#include <utility>

namespace invites::semantics {
namespace {

// Fibonacci hashing: the top bits of the product, which every bit of the key
// reaches (keys made from neighbouring rows differ only in a few bits).
std::size_t slot_of(Key key, std::size_t mask) {
  const std::uint64_t mixed = static_cast<std::uint64_t>(key) * 0x9e3779b97f4a7c15u;
  return static_cast<std::size_t>(mixed >> 32) & mask;
}

}  // namespace

void KeyIndex::clear() {
  if (size_ == 0) return;
  std::fill(slots_.begin(), slots_.end(), Slot{});
  size_ = 0;
}

void KeyIndex::insert(Key key, std::uint32_t position) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = slot_of(key, mask);
  while (slots_[i].key != root_key) i = (i + 1) & mask;
  slots_[i] = Slot{key, position};
  ++size_;
}

std::optional<std::uint32_t> KeyIndex::find(Key key) const {
  if (slots_.empty() || key == root_key) return std::nullopt;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
    if (slots_[i].key == key) return slots_[i].position;
    if (slots_[i].key == root_key) return std::nullopt;
  }
}

void KeyIndex::swap(KeyIndex& other) noexcept {
  slots_.swap(other.slots_);
  std::swap(size_, other.size_);
}

void KeyIndex::grow() {
  std::vector<Slot> old(std::max<std::size_t>(512, slots_.size() * 2));
  old.swap(slots_);
  size_ = 0;
  for (const Slot& slot : old)
    if (slot.key != root_key) insert(slot.key, slot.position);
}

}  // namespace invites::semantics
