#pragma once
// A contact's merge data (names, account, division) for previews and test sends.
#include <cstdint>
#include <optional>

#include <cppconn/connection.h>

#include "service/invitation.hpp"

namespace invites::repository {

// The contact's details with `email` as the recipient address; nullopt if the contact is gone.
std::optional<service::RecipientDetails> recipient_details(sql::Connection& connection, std::uint32_t contact_id,
                                                           const std::string& email);

}  // namespace invites::repository
