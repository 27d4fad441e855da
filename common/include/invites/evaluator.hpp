#pragma once
// Evaluates a Filter over a Snapshot in memory with the §2 rules; the same
// code answers Load on the server and offline Load in the browser.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "invites/filter.hpp"
#include "invites/page_params.hpp"
#include "invites/recipients.hpp"
#include "invites/snapshot.hpp"

namespace invites {

struct RecipientRef {
  std::uint32_t email;    // index into Snapshot::email
  std::uint32_t contact;  // index of the representative (lowest id) contact
};

struct Evaluation {
  Counts counts;
  std::array<std::vector<RecipientRef>, all_groups.size()> groups;  // by Group, each sorted by email
  std::vector<std::uint32_t> skipped_contacts;                      // contact indexes with an invalid address
  std::string digest;
};

Evaluation evaluate(const Snapshot& snapshot, const Filter& filter);
// The same with the portal statuses of `portal` instead of the snapshot's own.
Evaluation evaluate(const Snapshot& snapshot, const Filter& filter, const PortalColumns& portal);

// The portable form, for comparing with the SQL path.
RecipientList to_recipient_list(const Snapshot& snapshot, const Evaluation& evaluation);

// Recipient review: one page of a group, searched and sorted (docs/design.md §5).
enum class SortColumn : std::uint8_t {
  email,
  first_name,
  last_name,
  account_number,
  account_name,
  contact_id,
  last_invited_at
};
inline constexpr std::array<SortColumn, 7> all_sort_columns{
    SortColumn::email,        SortColumn::first_name, SortColumn::last_name,      SortColumn::account_number,
    SortColumn::account_name, SortColumn::contact_id, SortColumn::last_invited_at};
std::string_view sort_column_name(SortColumn column);
std::optional<SortColumn> parse_sort_column(std::string_view name);

struct PageRequest {
  Group group = Group::new_users;
  std::size_t offset = 0;
  std::size_t limit = default_page_rows;
  std::string query;  // case-insensitive substring of email, names, account number or name
  SortColumn sort = SortColumn::email;
  bool descending = false;
};
struct RecipientView {
  std::string_view email, first_name, last_name, account_number, account_name;
  Id contact_id;
  std::int64_t last_invited_at;  // 0 = never
};
struct RecipientPage {
  std::size_t total = 0;  // rows matching the query
  std::vector<RecipientView> rows;
};
RecipientView recipient_view(const Snapshot& snapshot, const RecipientRef& ref);
RecipientView recipient_view(const Snapshot& snapshot, const RecipientRef& ref, const PortalColumns& portal);
RecipientPage page_recipients(const Snapshot& snapshot, const Evaluation& evaluation, const PageRequest& request);
// Whether page_recipients() takes `request`'s page straight from the group
// (no search, the group's own order): then a page costs only its own rows,
// however far into the group it starts.
bool pages_in_stored_order(const PageRequest& request);
// Invitation dates from `portal` (the columns the evaluation was made with).
RecipientPage page_recipients(const Snapshot& snapshot, const Evaluation& evaluation, const PageRequest& request,
                              const PortalColumns& portal);
// The contacts skipped for an invalid or missing address (request.group is
// ignored), as rows with the normalized stored address (empty for NULL) and
// no invitation date; searched, sorted and paged like page_recipients.
RecipientPage page_skipped_contacts(const Snapshot& snapshot, const Evaluation& evaluation, const PageRequest& request);

}  // namespace invites
