#pragma once
// Writes a generated data set (tests/support/random_dataset.hpp) into the
// billing tables and portal_users of a migrated database.
#include <cppconn/connection.h>

#include "random_dataset.hpp"

namespace invites::testing {

void write_dataset(sql::Connection& connection, const Dataset& data);

}  // namespace invites::testing
