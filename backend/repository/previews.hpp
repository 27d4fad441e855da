#pragma once
// Load results in the database (table previews), so that any server answers
// the recipient review and Send of a Load made on another one (issue 11).
// The evaluation itself stays in the memory of the server that made it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <cppconn/connection.h>
#include <nlohmann/json.hpp>

#include "invites/filter.hpp"

namespace invites::repository {

struct StoredPreview {
  std::string id;
  std::uint64_t owner_user_id = 0;
  Filter filter;
  nlohmann::json counts;  // counts_to_json() of the Load
  std::string digest;
  std::int64_t generated_at = 0;  // unix seconds of the snapshot the Load was evaluated on
};

// Stores a preview that expires after `lifetime`, and deletes a few expired ones.
void store_preview(sql::Connection& connection, const StoredPreview& preview, std::chrono::seconds lifetime);

// The preview if it exists, has not expired and belongs to `owner_user_id`.
std::optional<StoredPreview> find_preview(sql::Connection& connection, const std::string& id,
                                          std::uint64_t owner_user_id);

}  // namespace invites::repository
