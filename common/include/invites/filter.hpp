#pragma once
// The filter of the Send Bulk Portal Invites screen (docs/design.md §1, §5) and its JSON form.
#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace invites {

using Id = std::uint32_t;  // ids of billing rows; 0 never occurs (it encodes NULL in snapshots)

struct Filter {
  std::vector<Id> division_ids;  // empty list = any
  std::vector<Id> account_class_ids;
  std::vector<Id> bill_group_ids;
  std::vector<Id> account_source_ids;
  std::vector<Id> site_source_ids;
  bool active_service_only = false;
  bool balance_due_only = false;
  bool billing_contacts_only = false;
  bool without_autopay_only = false;

  bool operator==(const Filter&) const = default;
};

// Strict parse of the filter object: unknown keys, wrong types, ids that are
// not positive integers, duplicate ids are ValidationErrors naming the field
// ("division_ids[1]"). Missing keys take their defaults. `path` prefixes field names.
Filter filter_from_json(const nlohmann::json& object, std::string_view path = "");
// Parses JSON text; malformed JSON is a ValidationError too.
Filter parse_filter(std::string_view json_text);
nlohmann::json filter_to_json(const Filter& filter);

// The ids that exist, per list; used to reject unknown ids with the field named.
struct KnownIds {
  std::unordered_set<Id> divisions, account_classes, bill_groups, account_sources, site_sources;
};
void check_known_ids(const Filter& filter, const KnownIds& known, std::string_view path = "");

}  // namespace invites
