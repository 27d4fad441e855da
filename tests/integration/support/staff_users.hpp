#pragma once
// Staff users and logged-in sessions for tests of the /api routes.
#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>
#include <httplib.h>

namespace invites::testing {

// Inserts a staff user (password hashed as `invites-server user add` does)
// with the given permission numbers into a migrated database; returns its id.
std::uint64_t create_staff_user(sql::Connection& connection, const std::string& username, const std::string& password,
                                const std::vector<int>& permissions = {390}, bool disabled = false);

struct StaffLogin {
  std::string cookie;      // "invites_session=TOKEN", for a Cookie header
  std::string csrf_token;  // for X-CSRF-Token
  // Cookie, and X-CSRF-Token unless with_csrf is false.
  httplib::Headers headers(bool with_csrf = true) const;
};

// POST /api/session; throws std::runtime_error unless it answers 200 with a cookie.
StaffLogin login_staff(httplib::Client& client, const std::string& username, const std::string& password);

}  // namespace invites::testing
