#include "http/auth.hpp"

#include <algorithm>
#include <string>

#include "http/api_error.hpp"

namespace invites::http {

bool StaffSession::has(Permission permission) const {
  return std::find(permissions.begin(), permissions.end(), static_cast<int>(permission)) != permissions.end();
}

StaffSession Auth::require(const httplib::Request& request, Permission permission) {
  StaffSession session = require_session(request);
  if (!session.has(permission)) {
    throw ApiError(403, "forbidden", "this needs permission " + std::to_string(static_cast<int>(permission)));
  }
  return session;
}

}  // namespace invites::http
