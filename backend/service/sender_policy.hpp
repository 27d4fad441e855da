#pragma once
// Which From addresses a send may use (docs/design.md §1 "Email From", issue 4): a
// valid address without line breaks that is a division's sender address or
// matches the --allowed-senders list (addresses, or "@domain" / "domain").
#include <string>
#include <vector>

#include <cppconn/connection.h>

namespace invites::service {

class SenderPolicy {
 public:
  // Throws std::invalid_argument for an entry that is neither an address nor a domain.
  explicit SenderPolicy(const std::vector<std::string>& allowed_senders);

  // The address as it will be used (normalized), or invites::ValidationError
  // on field `field` naming the problem.
  std::string check(sql::Connection& connection, const std::string& address, const std::string& field) const;
  // Syntax only (test sends, setup): the normalized address or ValidationError.
  static std::string check_syntax(const std::string& address, const std::string& field);

 private:
  std::vector<std::string> addresses_, domains_;  // lower case
};

}  // namespace invites::service
