#include "repository/staff_users.hpp"

#include <stdexcept>

#include "db/statement.hpp"
#include "security/usernames.hpp"

namespace invites::repository {

std::optional<StaffUser> find_staff_user(sql::Connection& connection, const std::string& username) {
  auto rows = db::query(connection, "SELECT id, username, password_hash, disabled FROM staff_users WHERE username = ?",
                        username);
  if (!rows.next()) return std::nullopt;
  StaffUser user;
  rows.read_into(user.id, user.username, user.password_hash, user.disabled);
  return user;
}

std::vector<int> staff_permissions(sql::Connection& connection, std::uint64_t user_id) {
  return db::query_column<int>(
      connection, "SELECT permission FROM staff_permissions WHERE user_id = ? ORDER BY permission", user_id);
}

SavedStaffUser save_staff_user(sql::Connection& connection, const std::string& username,
                               const std::string& password_hash, const std::set<int>& permissions) {
  SavedStaffUser saved;
  if (const auto found = db::query_row<std::uint64_t, std::string>(
          connection, "SELECT id, username FROM staff_users WHERE username = ? FOR UPDATE", username)) {
    const auto& [id, stored] = *found;
    // The collation folds more than ASCII case: "dorá" must not replace dora's password.
    if (security::username_key(stored) != security::username_key(username)) {
      throw std::runtime_error("--username: the database already has the user \"" + stored +
                               "\", which it cannot tell apart from this name: choose another");
    }
    saved = {id, true};
    db::update(connection, "UPDATE staff_users SET password_hash = ? WHERE id = ?", password_hash, saved.id);
    db::update(connection, "DELETE FROM staff_permissions WHERE user_id = ?", saved.id);
  } else {
    db::update(connection, "INSERT INTO staff_users (username, password_hash) VALUES (?, ?)", username, password_hash);
    saved = {db::last_insert_id(connection), false};
  }
  for (const int permission : permissions) {
    db::update(connection, "INSERT INTO staff_permissions (user_id, permission) VALUES (?, ?)", saved.id, permission);
  }
  return saved;
}

}  // namespace invites::repository
