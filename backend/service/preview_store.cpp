#include "service/preview_store.hpp"

#include <sys/random.h>

#include <algorithm>
#include <functional>
#include <vector>
#include <stdexcept>

namespace invites::service {

std::string random_hex_id() {
  unsigned char bytes[16];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const auto n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) throw std::runtime_error("getrandom failed");
    got += static_cast<std::size_t>(n);
  }
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::size_t evaluation_bytes(const Evaluation& evaluation) {
  std::size_t bytes = evaluation.skipped_contacts.capacity() * sizeof(std::uint32_t) + evaluation.digest.capacity();
  for (const auto& group : evaluation.groups) bytes += group.capacity() * sizeof(RecipientRef);
  return bytes;
}

PreviewStore::PreviewStore(PreviewStoreLimits limits) : limits_(limits) {}

std::shared_ptr<const Preview> PreviewStore::add(std::uint64_t owner_user_id, Filter filter, Evaluation evaluation,
                                                 std::shared_ptr<const Snapshot> snapshot, std::uint64_t generation,
                                                 std::shared_ptr<const PortalState> portal, std::string id) {
  auto preview = std::make_shared<Preview>();
  preview->id = id.empty() ? random_hex_id() : std::move(id);
  preview->owner_user_id = owner_user_id;
  preview->filter = std::move(filter);
  preview->evaluation = std::make_shared<const Evaluation>(std::move(evaluation));
  preview->snapshot = std::move(snapshot);
  preview->portal = std::move(portal);
  preview->generation = generation;
  preview->created_at = std::chrono::system_clock::now();

  std::lock_guard lock(mutex_);
  evict_expired(preview->created_at);
  erase(preview->id);  // one made here before and evaluated again
  for (auto mine = by_user_.find(owner_user_id); mine != by_user_.end() && mine->second.size() >= limits_.per_user;
       mine = by_user_.find(owner_user_id))
    erase(std::string(mine->second.front()));
  while (by_id_.size() >= limits_.total && !order_.empty()) erase(std::string(order_.front()));
  // Keep at most max_generations generations (the new preview's included).
  std::vector<std::uint64_t> generations{generation};
  for (const auto& [id, stored] : by_id_) generations.push_back(stored->generation);
  std::sort(generations.begin(), generations.end(), std::greater<>());
  generations.erase(std::unique(generations.begin(), generations.end()), generations.end());
  if (generations.size() > limits_.max_generations && limits_.max_generations > 0) {
    const std::uint64_t oldest_kept = generations[limits_.max_generations - 1];
    std::vector<std::string> stale;
    for (const auto& [id, stored] : by_id_)
      if (stored->generation < oldest_kept) stale.push_back(id);
    for (const auto& id : stale) erase(id);
  }
  const std::size_t size = evaluation_bytes(*preview->evaluation);
  while (bytes_ + size > limits_.max_bytes && !order_.empty()) erase(std::string(order_.front()));
  bytes_ += size;
  by_id_.emplace(preview->id, preview);
  order_.push_back(preview->id);
  by_user_[owner_user_id].push_back(preview->id);
  return preview;
}

std::shared_ptr<const Preview> PreviewStore::find(const std::string& id, std::uint64_t owner_user_id) {
  std::lock_guard lock(mutex_);
  evict_expired(std::chrono::system_clock::now());
  const auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second->owner_user_id != owner_user_id) return nullptr;
  return it->second;
}

PortalColumns portal_columns_of(const Snapshot& snapshot, const PortalState* portal) {
  return portal ? PortalColumns{portal->status, portal->last_invited_at, portal->suppressed} : portal_columns(snapshot);
}

void PreviewStore::rebase(std::uint64_t generation, const std::shared_ptr<const PortalState>& portal) {
  std::lock_guard lock(mutex_);
  for (auto& [id, stored] : by_id_) {
    if (stored->generation != generation || stored->portal == portal) continue;
    // A new object: requests holding the old one keep reading it unchanged.
    auto moved = std::make_shared<Preview>(*stored);
    moved->portal = portal;
    stored = std::move(moved);
  }
}

void PreviewStore::drop_generations_before(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> older;
  for (const auto& [id, stored] : by_id_)
    if (stored->generation < generation) older.push_back(id);
  for (const auto& id : older) erase(id);
}

std::size_t PreviewStore::size() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

void PreviewStore::evict_expired(std::chrono::system_clock::time_point now) {
  while (!order_.empty()) {
    const auto it = by_id_.find(order_.front());
    if (it != by_id_.end() && now - it->second->created_at < limits_.lifetime) break;
    if (it != by_id_.end())
      erase(std::string(order_.front()));
    else
      order_.pop_front();
  }
}

void PreviewStore::erase(const std::string& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  const std::string key = id;  // `id` may refer into one of the deques below
  auto& mine = by_user_[it->second->owner_user_id];
  mine.erase(std::remove(mine.begin(), mine.end(), key), mine.end());
  if (mine.empty()) by_user_.erase(it->second->owner_user_id);
  bytes_ -= std::min(bytes_, evaluation_bytes(*it->second->evaluation));
  by_id_.erase(it);
  order_.erase(std::remove(order_.begin(), order_.end(), key), order_.end());
}

}  // namespace invites::service
