#pragma once
// Staff users and their permissions (tables staff_users, staff_permissions):
// who may log in to the tool and what each may do (docs/design.md §5).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <cppconn/connection.h>

namespace invites::repository {

struct StaffUser {
  std::uint64_t id = 0;
  std::string username;
  std::string password_hash;  // argon2id (security/passwords.hpp)
  bool disabled = false;
};

// The user of this name (compared case-insensitively by the column collation).
std::optional<StaffUser> find_staff_user(sql::Connection& connection, const std::string& username);

// The permission numbers of a staff user, ascending.
std::vector<int> staff_permissions(sql::Connection& connection, std::uint64_t user_id);

struct SavedStaffUser {
  std::uint64_t id = 0;
  bool existed = false;  // true: an existing user's password and permissions were replaced
};
// Creates the user, or replaces an existing one's password hash and
// permissions. Run it in a transaction: the user row is locked while it is
// changed. Throws std::runtime_error for a name the collation folds into an
// existing user's other name (see security/usernames.hpp).
SavedStaffUser save_staff_user(sql::Connection& connection, const std::string& username,
                               const std::string& password_hash, const std::set<int>& permissions);

}  // namespace invites::repository
