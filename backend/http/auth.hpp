#pragma once
// Staff authentication for the JSON API (docs/design.md §5): the session cookie, the
// CSRF header on every non-GET /api request, and permissions.
#include <cstdint>
#include <string>
#include <vector>

#include <httplib.h>

namespace invites::http {

enum class Permission : int {
  send_invites = 390,  // "Send Account Portal Invitations": previews, recipients, snapshot, sending
  setup = 120,         // "Setup \ System and Security": templates, division senders
};

struct StaffSession {
  std::uint64_t user_id = 0;
  std::string username;
  std::vector<int> permissions;
  std::string csrf_token;
  bool has(Permission permission) const;
};

class Auth {
 public:
  virtual ~Auth() = default;
  // The caller's session: a valid, unexpired session cookie and, unless the
  // method is GET or HEAD, a matching X-CSRF-Token header. Throws ApiError
  // 401 ("unauthenticated") without a valid session, 403 ("csrf") for a
  // missing or wrong token. Extends the session's idle expiry.
  virtual StaffSession require_session(const httplib::Request& request) = 0;
  // As require_session, and 403 ("forbidden", naming the permission) without it.
  StaffSession require(const httplib::Request& request, Permission permission);
};

}  // namespace invites::http
