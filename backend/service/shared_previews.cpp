#include "service/shared_previews.hpp"

#include "repository/previews.hpp"

namespace invites::service {

std::shared_ptr<const Preview> SharedPreviews::add(sql::Connection& connection, std::uint64_t owner_user_id,
                                                   Filter filter, Evaluation evaluation, const SnapshotState& state) {
  // Earlier previews of this build now read the newest statuses' copy, so
  // superseded copies of the data are freed.
  store_.rebase(state.generation, state.portal);
  auto preview = store_.add(owner_user_id, std::move(filter), std::move(evaluation), state.snapshot, state.generation,
                            state.portal);
  repository::store_preview(connection,
                            {.id = preview->id,
                             .owner_user_id = owner_user_id,
                             .filter = preview->filter,
                             .counts = counts_to_json(preview->evaluation->counts),
                             .digest = preview->evaluation->digest,
                             .generated_at = state.generated_at()},
                            store_.limits().lifetime);
  return preview;
}

std::shared_ptr<const Preview> SharedPreviews::find_for_review(sql::Connection& connection, const std::string& id,
                                                               std::uint64_t owner_user_id) {
  if (auto preview = store_.find(id, owner_user_id)) return preview;
  const auto stored = repository::find_preview(connection, id, owner_user_id);
  if (!stored) return nullptr;
  const auto state = index_.current_for_load(connection);
  Evaluation evaluation = evaluate(*state->snapshot, stored->filter, state->portal_columns());
  if (evaluation.digest != stored->digest) throw RecipientsChanged(evaluation.counts, evaluation.digest);
  return store_.add(owner_user_id, stored->filter, std::move(evaluation), state->snapshot, state->generation,
                    state->portal, stored->id);
}

std::optional<PreviewForSend> SharedPreviews::find_for_send(sql::Connection& connection, const std::string& id,
                                                            std::uint64_t owner_user_id) {
  if (const auto preview = store_.find(id, owner_user_id)) {
    return PreviewForSend{preview->filter, preview->evaluation->digest, counts_to_json(preview->evaluation->counts)};
  }
  auto stored = repository::find_preview(connection, id, owner_user_id);
  if (!stored) return std::nullopt;
  return PreviewForSend{std::move(stored->filter), std::move(stored->digest), std::move(stored->counts)};
}

}  // namespace invites::service
