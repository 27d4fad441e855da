#pragma once
// "HOST:PID" of this process, for rows that name who holds them (the
// migration lock, sender leases), so an operator reading the table knows
// which process to look at.
#include <string>

namespace invites::db {

std::string process_label();

}  // namespace invites::db
