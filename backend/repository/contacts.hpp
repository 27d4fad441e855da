#pragma once
// A contact's merge data (names, account, division) for previews and test sends.
#include <cstdint>
#include <optional>
#include <string>

#include <cppconn/connection.h>

namespace invites::repository {

// What an invitation message says about its recipient (service/invitation.hpp merges it).
struct RecipientDetails {
  std::string email, first_name, last_name, account_number, account_name, division_name;
};

// The contact's details with `email` as the recipient address; nullopt if the contact is gone.
std::optional<RecipientDetails> recipient_details(sql::Connection& connection, std::uint32_t contact_id,
                                                  const std::string& email);

}  // namespace invites::repository
