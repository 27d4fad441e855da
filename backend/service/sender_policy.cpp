#include "service/sender_policy.hpp"

#include <algorithm>
#include <stdexcept>

#include "invites/email.hpp"
#include "invites/error.hpp"
#include "repository/division_senders.hpp"

namespace invites::service {
namespace {

bool is_valid_domain(const std::string& domain) { return is_valid_email("x@" + domain); }

}  // namespace

SenderPolicy::SenderPolicy(const std::vector<std::string>& allowed_senders) {
  for (const auto& entry : allowed_senders) {
    const std::string normalized = normalize_email(entry);
    if (normalized.find('@') != std::string::npos && normalized.front() != '@') {
      if (!is_valid_email(normalized))
        throw std::invalid_argument("allowed sender \"" + entry + "\" is not a valid address");
      addresses_.push_back(normalized);
    } else {
      const std::string domain = normalized.front() == '@' ? normalized.substr(1) : normalized;
      if (!is_valid_domain(domain))
        throw std::invalid_argument("allowed sender \"" + entry + "\" is not a valid domain");
      domains_.push_back(domain);
    }
  }
}

std::string SenderPolicy::check_syntax(const std::string& address, const std::string& field) {
  if (address.find_first_of("\r\n") != std::string::npos) throw ValidationError(field, "contains a line break");
  if (address.empty()) throw ValidationError(field, "is empty: enter the sender address");
  const std::string normalized = normalize_email(address);
  if (normalized != address && normalized.size() != address.size()) {
    throw ValidationError(field, "has spaces around the address");
  }
  if (!is_valid_email(normalized)) throw ValidationError(field, "\"" + address + "\" is not a valid email address");
  return normalized;
}

std::string SenderPolicy::check(sql::Connection& connection, const std::string& address,
                                const std::string& field) const {
  const std::string normalized = check_syntax(address, field);
  const std::string domain = normalized.substr(normalized.find('@') + 1);
  if (std::find(addresses_.begin(), addresses_.end(), normalized) != addresses_.end() ||
      std::find(domains_.begin(), domains_.end(), domain) != domains_.end() ||
      repository::is_division_sender(connection, normalized)) {
    return normalized;
  }
  throw ValidationError(field, normalized +
                                   " is not an allowed sender: use a division's sender address (Setup) or one "
                                   "allowed with --allowed-senders");
}

}  // namespace invites::service
