#pragma once
// SQL text for the §2 rules, for MySQL 8.0 and MariaDB 10.11. Values are
// never spliced into the text: the text holds '?' placeholders and `params`
// the values to bind, in order.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "invites/filter.hpp"

namespace invites {

using SqlParam = std::variant<std::int64_t, std::string>;

struct SqlQuery {
  std::string text;
  std::vector<SqlParam> params;
};

// Rows (group_name VARCHAR, email VARCHAR, contact_id INT): one per distinct
// valid normalized address of the candidate contacts, with its representative
// (lowest id) contact and its group by portal user and suppression.
SqlQuery recipients_query(const Filter& filter);
// Rows (group_name VARCHAR, count BIGINT): the rows of recipients_query per
// group, counted by the database instead of sent to the client.
SqlQuery recipient_counts_query(const Filter& filter);
// One row, one column: the number of candidate contacts with an invalid or NULL address.
SqlQuery skipped_invalid_count_query(const Filter& filter);

// The §2.3 rule as a regular expression over the normalized address (lengths
// are checked separately), valid for both PCRE (MariaDB) and ICU (MySQL).
const std::string& email_shape_regex();

}  // namespace invites
