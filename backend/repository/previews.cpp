#include "repository/previews.hpp"

#include "db/statement.hpp"

namespace invites::repository {
namespace {

// Expired previews go a few at a time, with the inserts, so no statement
// ever deletes many rows at once.
constexpr int expired_per_insert = 20;

}  // namespace

void store_preview(sql::Connection& connection, const StoredPreview& preview, std::chrono::seconds lifetime) {
  db::update(connection,
             "INSERT INTO previews (id, owner_user_id, filter_json, counts_json, digest, generated_at, created_at, "
             "expires_at) VALUES (?, ?, ?, ?, ?, FROM_UNIXTIME(?), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ? "
             "SECOND)",
             preview.id, preview.owner_user_id, filter_to_json(preview.filter).dump(), preview.counts.dump(),
             preview.digest, preview.generated_at, static_cast<std::int64_t>(lifetime.count()));
  db::update(connection, "DELETE FROM previews WHERE expires_at < UTC_TIMESTAMP(3) LIMIT ?", expired_per_insert);
}

std::optional<StoredPreview> find_preview(sql::Connection& connection, const std::string& id,
                                          std::uint64_t owner_user_id) {
  const auto row = db::query_row<std::string, std::string, std::string, std::int64_t>(
      connection,
      "SELECT filter_json, counts_json, digest, UNIX_TIMESTAMP(generated_at) FROM previews "
      "WHERE id = ? AND owner_user_id = ? AND expires_at > UTC_TIMESTAMP(3)",
      id, owner_user_id);
  if (!row) return std::nullopt;
  const auto& [filter_json, counts_json, digest, generated_at] = *row;
  StoredPreview preview;
  preview.id = id;
  preview.owner_user_id = owner_user_id;
  preview.filter = filter_from_json(nlohmann::json::parse(filter_json));
  preview.counts = nlohmann::json::parse(counts_json);
  preview.digest = digest;
  preview.generated_at = generated_at;
  return preview;
}

}  // namespace invites::repository
