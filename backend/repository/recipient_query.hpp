#pragma once
#include <cppconn/connection.h>

#include "invites/filter.hpp"
#include "invites/recipients.hpp"

namespace invites::repository {

// The SQL path of docs/design.md §2: the rules evaluated by MySQL/MariaDB with the
// queries of common/ (invites/sql_filter.hpp), in one consistent read.
// The equivalence tests compare it with the other two paths.
RecipientList query_recipients(sql::Connection& connection, const Filter& filter);
// The counts of the same result, counted by the database: what Send answers
// when the recipients changed since Load.
Counts count_recipients(sql::Connection& connection, const Filter& filter);

}  // namespace invites::repository
