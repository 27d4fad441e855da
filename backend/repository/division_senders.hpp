#pragma once
// Division sender addresses (docs/design.md §1 "Email From"): the billing system's
// divisions.default_from_email, overridden by the tool's division_senders.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "invites/filter.hpp"

namespace invites::repository {

struct DivisionSender {
  Id id = 0;
  std::string name;
  std::optional<std::string> default_from_email;          // effective: override, else billing's
  std::optional<std::string> billing_default_from_email;  // divisions.default_from_email
};

// Every division by name, with its addresses.
std::vector<DivisionSender> list_division_senders(sql::Connection& connection);
std::optional<DivisionSender> find_division_sender(sql::Connection& connection, Id division_id);
// Sets (or, with nullopt, removes) the tool's address for a division.
void set_division_sender(sql::Connection& connection, Id division_id, const std::optional<std::string>& from_email,
                         std::optional<std::uint64_t> staff_user_id);
// True when `address` is the effective sender address of some division.
bool is_division_sender(sql::Connection& connection, const std::string& address);

}  // namespace invites::repository
