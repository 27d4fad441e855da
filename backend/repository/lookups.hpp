#pragma once
// The small lookup tables of the send screen's filters (docs/design.md §1, §3).
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "invites/filter.hpp"

namespace invites::repository {

struct LookupItem {
  Id id = 0;
  std::string name;
  std::optional<std::string> default_from_email;  // divisions only
};

struct Lookups {
  std::vector<LookupItem> divisions, account_classes, bill_groups, account_sources, site_sources;  // by name
  KnownIds known_ids() const;
};

// Reads all five tables, each sorted by name (then id). Throws sql::SQLException.
Lookups load_lookups(sql::Connection& connection);

}  // namespace invites::repository
