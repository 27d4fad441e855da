#include "service/snapshot_deltas.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "invites/snapshot_delta.hpp"
#include "service/snapshot_index.hpp"

namespace invites::service {

void SnapshotDeltas::overlaid(const SnapshotState& older, std::vector<std::uint32_t> changed) {
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  std::lock_guard lock(mutex_);
  if (older.generation != steps_generation_ || older.overlay_step != steps_first_ + steps_.size()) {
    // Steps of this build were missed (a rebuild or overlay raced): start over from here.
    steps_generation_ = older.generation;
    steps_first_ = older.overlay_step;
    steps_.clear();
  }
  steps_.push_back({older.known_digest(), std::move(changed)});
}

void SnapshotDeltas::rebuilt(const SnapshotState& older, const SnapshotState& newer) {
  std::vector<Step> steps;
  {
    std::lock_guard lock(mutex_);
    if (older.generation == steps_generation_ && older.overlay_step == steps_first_ + steps_.size()) steps = steps_;
  }
  const std::uint64_t older_digest = older.download().layout.digest;
  const std::uint64_t newer_digest = newer.download().layout.digest;
  std::vector<Link> links;
  // Copies handed out from earlier overlays of the old build: to its last state.
  const PortalColumns older_portal = older.portal_columns();
  for (std::size_t k = 0; k < steps.size(); ++k) {
    if (!steps[k].base_digest || *steps[k].base_digest == older_digest) continue;
    links.push_back({*steps[k].base_digest, older_digest,
                     SnapshotDelta::encode_portal(*older.snapshot, older_portal, changed_since(steps, k),
                                                  *steps[k].base_digest, older_digest)});
  }
  // Larger than what may be kept: not encoded whole (the full copy serves).
  auto rebuild = SnapshotDelta::encode_within({*older.snapshot, older_portal, older_digest},
                                              {*newer.snapshot, newer.portal_columns(), newer_digest}, max_bytes_);
  if (rebuild) {
    spdlog::info("snapshot delta to the new build: {} bytes (the full copy: {} bytes)", rebuild->size(),
                 newer.download().layout.size);
    links.push_back({older_digest, newer_digest, std::move(*rebuild)});
  } else {
    spdlog::info("snapshot delta to the new build: over {} bytes, not kept", max_bytes_);
  }
  std::lock_guard lock(mutex_);
  for (auto& link : links) keep(std::move(link));
  steps_generation_ = newer.generation;
  steps_first_ = newer.overlay_step;
  steps_.clear();
}

void SnapshotDeltas::keep(Link link) {
  if (link.bytes.size() > max_bytes_) return;
  bytes_ += link.bytes.size();
  links_.push_back(std::move(link));
  while (links_.size() > max_links_ || bytes_ > max_bytes_) {
    bytes_ -= links_.front().bytes.size();
    links_.pop_front();
  }
}

std::vector<std::uint32_t> SnapshotDeltas::changed_since(const std::vector<Step>& steps, std::size_t from) {
  std::vector<std::uint32_t> changed;
  for (std::size_t s = from; s < steps.size(); ++s)
    changed.insert(changed.end(), steps[s].changed.begin(), steps[s].changed.end());
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  return changed;
}

std::optional<std::string> SnapshotDeltas::between(std::uint64_t held, const SnapshotState& current) const {
  const std::uint64_t current_digest = current.download().layout.digest;
  std::lock_guard lock(mutex_);
  const bool steps_lead_to_current =
      current.generation == steps_generation_ && current.overlay_step == steps_first_ + steps_.size();
  std::string body;
  std::uint64_t at = held;
  // Each hop follows one kept link; more hops than links would be a cycle.
  for (std::size_t hop = 0; hop <= links_.size(); ++hop) {
    if (at == current_digest) return body.empty() ? std::nullopt : std::optional(std::move(body));
    if (steps_lead_to_current) {
      for (std::size_t k = 0; k < steps_.size(); ++k) {
        if (steps_[k].base_digest != at) continue;
        return body + SnapshotDelta::encode_portal(*current.snapshot, current.portal_columns(),
                                                   changed_since(steps_, k), at, current_digest);
      }
    }
    const auto link = std::find_if(links_.rbegin(), links_.rend(), [&](const Link& l) { return l.base_digest == at; });
    if (link == links_.rend()) return std::nullopt;
    body += link->bytes;
    at = link->result_digest;
  }
  return std::nullopt;
}

}  // namespace invites::service
