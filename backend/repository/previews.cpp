#include "repository/previews.hpp"

#include <memory>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

namespace invites::repository {
namespace {

// Expired previews go a few at a time, with the inserts, so no statement
// ever deletes many rows at once.
constexpr int expired_per_insert = 20;

}  // namespace

void store_preview(sql::Connection& connection, const StoredPreview& preview, std::chrono::seconds lifetime) {
  std::unique_ptr<sql::PreparedStatement> insert(connection.prepareStatement(
      "INSERT INTO previews (id, owner_user_id, filter_json, counts_json, digest, generated_at, created_at, "
      "expires_at) VALUES (?, ?, ?, ?, ?, FROM_UNIXTIME(?), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ? SECOND)"));
  insert->setString(1, preview.id);
  insert->setUInt64(2, preview.owner_user_id);
  insert->setString(3, filter_to_json(preview.filter).dump());
  insert->setString(4, preview.counts.dump());
  insert->setString(5, preview.digest);
  insert->setInt64(6, preview.generated_at);
  insert->setInt64(7, lifetime.count());
  insert->executeUpdate();
  std::unique_ptr<sql::PreparedStatement> purge(
      connection.prepareStatement("DELETE FROM previews WHERE expires_at < UTC_TIMESTAMP(3) LIMIT ?"));
  purge->setInt(1, expired_per_insert);
  purge->executeUpdate();
}

std::optional<StoredPreview> find_preview(sql::Connection& connection, const std::string& id,
                                          std::uint64_t owner_user_id) {
  std::unique_ptr<sql::PreparedStatement> select(
      connection.prepareStatement("SELECT filter_json, counts_json, digest, UNIX_TIMESTAMP(generated_at) FROM previews "
                                  "WHERE id = ? AND owner_user_id = ? AND expires_at > UTC_TIMESTAMP(3)"));
  select->setString(1, id);
  select->setUInt64(2, owner_user_id);
  std::unique_ptr<sql::ResultSet> row(select->executeQuery());
  if (!row->next()) return std::nullopt;
  StoredPreview preview;
  preview.id = id;
  preview.owner_user_id = owner_user_id;
  preview.filter = filter_from_json(nlohmann::json::parse(row->getString(1).asStdString()));
  preview.counts = nlohmann::json::parse(row->getString(2).asStdString());
  preview.digest = row->getString(3).asStdString();
  preview.generated_at = row->getInt64(4);
  return preview;
}

}  // namespace invites::repository
