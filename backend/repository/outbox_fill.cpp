#include "repository/outbox_fill.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

#include "db/statement.hpp"
#include "invites/sql_filter.hpp"
#include "repository/stored_enums.hpp"

namespace invites::repository {
namespace {

// Rows read back per query: about 0.5 MB on the client at a time.
constexpr std::size_t read_page_rows = 10'000;

// The names of the mailed groups, in the digest's order (the enumerators').
std::vector<std::string> mailed_group_names() {
  std::vector<std::string> names;
  for (const Group group : all_groups)
    if (is_mailed(group)) names.emplace_back(group_name(group));
  return names;
}

// The mailed recipients of the filter (recipients_query, with the job id and
// the group names bound around its values), in the digest's order: the ids
// the rows get follow it, so the job is also sent and listed in that order.
std::uint64_t insert_mailed(sql::Connection& connection, std::uint64_t job_id, const Filter& filter) {
  const SqlQuery recipients = recipients_query(filter);
  const auto groups = mailed_group_names();
  const std::string group_list = db::placeholders(groups.size());
  db::Statement insert(connection,
                       "INSERT INTO send_outbox (job_id, email, contact_id, recipient_group)\n"
                       "SELECT ?, r.email, r.contact_id, r.group_name FROM (\n" +
                           recipients.text + "\n) r WHERE r.group_name IN (" + group_list +
                           ") ORDER BY FIELD(r.group_name, " + group_list + "), r.email");
  return insert.bind(job_id).bind_each(recipients.params).bind_each(groups).bind_each(groups).update();
}

// A page of the job's rows after a given id. The primary key walks them in
// order from the first (each page a short range scan); an index on job_id
// would have every page sort all of the job's rows.
constexpr const char* select_page =
    "SELECT id, recipient_group, email FROM send_outbox FORCE INDEX (PRIMARY)"
    " WHERE id > ? AND job_id = ? ORDER BY id LIMIT ?";

// The digest of the job's rows from `first_id` on, checking that they come
// in the order the digest needs (the INSERT's ORDER BY).
std::string digest_of_rows(sql::Connection& connection, std::uint64_t job_id, std::uint64_t first_id) {
  DigestBuilder digest;
  db::Statement page(connection, select_page);
  std::uint64_t after = first_id - 1;
  std::optional<std::pair<Group, std::string>> last;
  for (std::size_t read = read_page_rows; read == read_page_rows;) {
    auto rows = page.bind(after, job_id, read_page_rows).query();
    for (read = 0; rows.next(); ++read) {
      auto [id, group, email] = rows.read<std::uint64_t, Group, std::string>();
      std::pair row(group, std::move(email));
      if (last && !(*last < row)) {
        throw std::logic_error("outbox of job " + std::to_string(job_id) + ": row " + std::to_string(id) +
                               " is out of (group, email) order");
      }
      digest.add(row.first, row.second);
      after = id;
      last = std::move(row);
    }
  }
  return digest.finish();
}

}  // namespace

FilledOutbox fill_outbox(sql::Connection& connection, std::uint64_t job_id, const Filter& filter,
                         const std::vector<Group>& groups) {
  FilledOutbox filled;
  filled.queued = insert_mailed(connection, job_id, filter);
  // LAST_INSERT_ID() after a multi-row INSERT is the first row's id.
  filled.digest = filled.queued == 0 ? DigestBuilder().finish()
                                     : digest_of_rows(connection, job_id, db::last_insert_id(connection));
  std::vector<std::string> dropped;
  for (const Group group : all_groups)
    if (is_mailed(group) && std::find(groups.begin(), groups.end(), group) == groups.end())
      dropped.emplace_back(group_name(group));
  if (!dropped.empty() && filled.queued > 0) {
    db::Statement drop(connection, "DELETE FROM send_outbox WHERE job_id = ? AND recipient_group IN (" +
                                       db::placeholders(dropped.size()) + ")");
    filled.queued -= drop.bind(job_id).bind_each(dropped).update();
  }
  return filled;
}

}  // namespace invites::repository
