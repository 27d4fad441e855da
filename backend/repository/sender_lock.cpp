#include "repository/sender_lock.hpp"

#include <optional>

#include "db/statement.hpp"

namespace invites::repository {
namespace {

// MySQL/MariaDB named locks are server-wide: the name carries the instance id.
std::string lock_name(const std::string& instance_id) { return "invites-sender-" + instance_id; }

// The lock functions return 1 for yes, 0 for no and NULL for an error or an unknown lock.
bool is_one(std::optional<std::optional<int>> answer) { return answer.value_or(std::nullopt).value_or(0) == 1; }

}  // namespace

bool hold_sender_lock(sql::Connection& connection, const std::string& instance_id) {
  const std::string name = lock_name(instance_id);
  if (is_one(db::query_row<std::optional<int>>(connection, "SELECT IS_USED_LOCK(?) = CONNECTION_ID()", name))) {
    return true;
  }
  return is_one(db::query_row<std::optional<int>>(connection, "SELECT GET_LOCK(?, 0)", name));
}

bool sender_lock_is_free(sql::Connection& connection, const std::string& instance_id) {
  return is_one(db::query_row<std::optional<int>>(connection, "SELECT IS_FREE_LOCK(?)", lock_name(instance_id)));
}

}  // namespace invites::repository
