#pragma once
#include <cppconn/connection.h>

#include "invites/filter.hpp"
#include "invites/recipients.hpp"

namespace invites::repository {

// The SQL path of docs/design.md §2: the rules evaluated by MySQL/MariaDB with the
// queries of common/ (invites/sql_filter.hpp), in one consistent read.
// Send uses it to re-check what Load showed.
RecipientList query_recipients(sql::Connection& connection, const Filter& filter);

}  // namespace invites::repository
