#include "service/snapshot_deltas.hpp"

#include <algorithm>
#include <chrono>

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

SnapshotDeltas::PendingRebuild SnapshotDeltas::prepare_rebuild(const SnapshotState& older, const SnapshotState& newer) {
  std::vector<Step> steps;
  {
    std::lock_guard lock(mutex_);
    if (older.generation == steps_generation_ && older.overlay_step == steps_first_ + steps_.size()) steps = steps_;
  }
  PendingRebuild pending;
  // Cheap when a copy of the old build was handed out: its overlays share the build's layout base.
  pending.older_digest = older.download().layout.digest;
  // Copies handed out from earlier overlays of the old build: to its last state.
  const PortalColumns older_portal = older.portal_columns();
  for (std::size_t k = 0; k < steps.size(); ++k) {
    if (!steps[k].base_digest || *steps[k].base_digest == pending.older_digest) continue;
    pending.links.push_back({*steps[k].base_digest, pending.older_digest,
                             SnapshotDelta::encode_portal(*older.snapshot, older_portal, changed_since(steps, k),
                                                          *steps[k].base_digest, pending.older_digest)});
  }
  // Larger than what may be kept: not encoded whole (the full copy serves).
  pending.payload = SnapshotDelta::payload_within({*older.snapshot, older_portal, pending.older_digest},
                                                  *newer.snapshot, newer.portal_columns(), max_bytes_);
  std::lock_guard lock(mutex_);
  sealing_ = newer.generation;
  return pending;
}

void SnapshotDeltas::rebuilt(PendingRebuild pending, const SnapshotState& newer) {
  // Whatever happens here, requests waiting for this rebuild's deltas go on.
  struct Sealed {
    SnapshotDeltas& deltas;
    ~Sealed() {
      {
        std::lock_guard lock(deltas.mutex_);
        deltas.sealing_.reset();
      }
      deltas.sealed_.notify_all();
    }
  } sealed{*this};
  const auto& layout = newer.download().layout;
  if (pending.payload) {
    auto bytes = SnapshotDelta::seal(*pending.payload, pending.older_digest, layout.digest);
    spdlog::info("snapshot delta to the new build: {} bytes (the full copy: {} bytes)", bytes.size(), layout.size);
    pending.links.push_back({pending.older_digest, layout.digest, std::move(bytes)});
  } else {
    spdlog::info("snapshot delta to the new build: over {} bytes, not kept", max_bytes_);
  }
  std::lock_guard lock(mutex_);
  for (auto& link : pending.links) keep(std::move(link));
  // Overlays of the new build since it was published have started its steps already.
  if (steps_generation_ != newer.generation) {
    steps_generation_ = newer.generation;
    steps_first_ = newer.overlay_step;
    steps_.clear();
  }
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
  std::unique_lock lock(mutex_);
  // A rebuild just published keeps its deltas in a moment (after its digest, which we have now).
  sealed_.wait_for(lock, std::chrono::seconds(30), [&] { return sealing_ != current.generation; });
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
