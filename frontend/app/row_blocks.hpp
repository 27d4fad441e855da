#pragma once
// A long list held by the server, read in blocks of rows for the rows a
// virtualized table shows (ImGuiListClipper): the recipient review and the
// failed recipients of a job. Blocks far from the rows on screen are
// forgotten, so memory stays bounded however long the list is.
//
// A list that changes on the server (more failures while a job runs) is
// outdate()d: its blocks stay shown until their refetch arrives, so the
// table does not blank out at every change.

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace invites::app {

template <typename Row, std::size_t rows_per_block>
class RowBlocks {
 public:
  static constexpr std::size_t block_rows = rows_per_block;
  static constexpr std::size_t max_in_flight = 4;  // fast scrolling asks for many blocks at once
  static constexpr std::size_t max_kept = 64;

  // The row at `index` when its block has arrived (maybe outdated), else nullptr.
  const Row* row(std::size_t index) const {
    const auto it = blocks_.find(index / rows_per_block);
    if (it == blocks_.end() || !it->second.loaded) return nullptr;
    const std::size_t at = index % rows_per_block;
    return at < it->second.rows.size() ? &it->second.rows[at] : nullptr;
  }

  // Rows that have arrived (for the page status and tests).
  std::size_t loaded_rows() const {
    std::size_t n = 0;
    for (const auto& [index, block] : blocks_) n += block.loaded ? block.rows.size() : 0;
    return n;
  }

  void clear() { blocks_.clear(); }
  void outdate() { ++version_; }
  // Passed with a request and given back with its answer to arrived().
  std::uint64_t version() const { return version_; }

  // The blocks to request now for rows [first, last]: missing or outdated
  // ones, at most max_in_flight in flight in all; they count as in flight
  // from here. First forgets the blocks farthest from those rows when
  // max_kept are kept.
  std::vector<std::size_t> blocks_to_fetch(std::size_t first, std::size_t last) {
    const std::size_t first_block = first / rows_per_block, last_block = last / rows_per_block;
    forget_far_blocks(first_block, last_block);
    std::size_t in_flight = 0;
    for (const auto& [index, block] : blocks_) in_flight += block.in_flight ? 1 : 0;
    std::vector<std::size_t> wanted;
    for (std::size_t b = first_block; b <= last_block && in_flight < max_in_flight; ++b) {
      Block& block = blocks_[b];
      if (block.in_flight || (block.loaded && block.version == version_)) continue;
      block.in_flight = true;
      ++in_flight;
      wanted.push_back(b);
    }
    return wanted;
  }

  // The rows of `block` as of `version`; dropped when the block was forgotten meanwhile.
  void arrived(std::size_t block, std::uint64_t version, std::vector<Row> rows) {
    const auto it = blocks_.find(block);
    if (it != blocks_.end()) it->second = Block{std::move(rows), true, false, version};
  }

  // The request for `block` failed: rows shown before stay, else the block is forgotten.
  void failed(std::size_t block) {
    const auto it = blocks_.find(block);
    if (it == blocks_.end()) return;
    if (it->second.loaded)
      it->second.in_flight = false;
    else
      blocks_.erase(it);
  }

 private:
  struct Block {
    std::vector<Row> rows;
    bool loaded = false;
    bool in_flight = false;
    std::uint64_t version = 0;  // of the list when the rows were read
  };

  void forget_far_blocks(std::size_t first_block, std::size_t last_block) {
    while (blocks_.size() >= max_kept) {
      auto farthest = blocks_.end();
      std::size_t distance = 0;
      for (auto it = blocks_.begin(); it != blocks_.end(); ++it) {
        if (it->second.in_flight) continue;
        const std::size_t d = it->first < first_block  ? first_block - it->first
                              : it->first > last_block ? it->first - last_block
                                                       : 0;
        if (d > distance) {
          distance = d;
          farthest = it;
        }
      }
      if (farthest == blocks_.end()) break;
      blocks_.erase(farthest);
    }
  }

  std::map<std::size_t, Block> blocks_;  // block index → rows (or in flight)
  std::uint64_t version_ = 0;
};

}  // namespace invites::app
