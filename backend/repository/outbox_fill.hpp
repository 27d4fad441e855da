#pragma once
// A new job's outbox written by the database straight from the billing
// tables (docs/design.md §6.1, §8): the server never holds the recipient
// list, only one page of it at a time while it computes the digest of what
// was written.
#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "invites/filter.hpp"
#include "invites/recipients.hpp"

namespace invites::repository {

struct FilledOutbox {
  std::string digest;        // of the filter's mailed recipients, as Load computes it (common/)
  std::uint64_t queued = 0;  // outbox rows kept: the recipients of the chosen groups
};

// Inside the caller's transaction: writes one outbox row of job `job_id` per
// mailed recipient of `filter` (the SQL path of docs/design.md §2.7), in
// (group, email) order, reads them back a page at a time into the digest,
// then drops the rows of mailed groups not in `groups`. The digest and the
// rows kept come from the one read of the INSERT ... SELECT, so they agree.
FilledOutbox fill_outbox(sql::Connection& connection, std::uint64_t job_id, const Filter& filter,
                         const std::vector<Group>& groups);

}  // namespace invites::repository
