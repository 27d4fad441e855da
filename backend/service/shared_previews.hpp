#pragma once
// Previews that any server can answer (issue 11, docs/design.md §10). Load keeps its
// evaluation in this server's PreviewStore and the preview's filter, counts
// and digest in the database. Another server (or this one, once the
// evaluation left its memory) answers the recipient review by evaluating the
// stored filter over its own index: the same digest means the same
// recipients, a different one that they changed since Load (409, as Send
// answers then). Send needs no evaluation: it checks in SQL.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <cppconn/connection.h>
#include <nlohmann/json.hpp>

#include "invites/evaluator.hpp"
#include "invites/filter.hpp"
#include "service/preview_store.hpp"
#include "service/snapshot_index.hpp"

namespace invites::service {

// The recipients of a preview are not the same on this server's index: its
// fresh counts and digest, for the 409 answer.
class RecipientsChanged : public std::runtime_error {
 public:
  RecipientsChanged(Counts counts, std::string digest)
      : std::runtime_error("the recipients changed since Load"), counts(counts), digest(std::move(digest)) {}
  Counts counts;
  std::string digest;
};

// What Send needs of a preview.
struct PreviewForSend {
  Filter filter;
  std::string digest;
  nlohmann::json counts;  // as Load showed them
};

class SharedPreviews {
 public:
  SharedPreviews(PreviewStore& store, SnapshotIndex& index) : store_(store), index_(index) {}

  // After Load: the preview in memory here and in the database (`connection`).
  std::shared_ptr<const Preview> add(sql::Connection& connection, std::uint64_t owner_user_id, Filter filter,
                                     Evaluation evaluation, const SnapshotState& state);

  // The preview for the recipient review: this server's evaluation, made
  // now from the stored filter when it has none. nullptr when there is no
  // such preview of this owner (or it expired). Throws SnapshotLoading
  // before the first index, RecipientsChanged when the digest differs.
  std::shared_ptr<const Preview> find_for_review(sql::Connection& connection, const std::string& id,
                                                 std::uint64_t owner_user_id);

  // The preview for Send, from memory or the database; nullopt as above.
  std::optional<PreviewForSend> find_for_send(sql::Connection& connection, const std::string& id,
                                              std::uint64_t owner_user_id);

  PreviewStore& store() { return store_; }

 private:
  PreviewStore& store_;
  SnapshotIndex& index_;
};

}  // namespace invites::service
