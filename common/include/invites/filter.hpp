#pragma once
// The filter of the Send Bulk Portal Invites screen (docs/design.md §1, §5) and its JSON form.
#include <array>
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

// The ids that exist, per list; used to reject unknown ids with the field named.
struct KnownIds {
  std::unordered_set<Id> divisions, account_classes, bill_groups, account_sources, site_sources;
};

// The filter's fields by their JSON names, in the screen's and the API's
// order: the id lists (with the ids each may name) and the flags.
struct FilterIdList {
  const char* name;
  std::vector<Id> Filter::*ids;
  std::unordered_set<Id> KnownIds::*known;
};
inline constexpr std::array<FilterIdList, 5> filter_id_lists{{
    {"division_ids", &Filter::division_ids, &KnownIds::divisions},
    {"account_class_ids", &Filter::account_class_ids, &KnownIds::account_classes},
    {"bill_group_ids", &Filter::bill_group_ids, &KnownIds::bill_groups},
    {"account_source_ids", &Filter::account_source_ids, &KnownIds::account_sources},
    {"site_source_ids", &Filter::site_source_ids, &KnownIds::site_sources},
}};
struct FilterFlag {
  const char* name;
  bool Filter::*on;
};
inline constexpr std::array<FilterFlag, 4> filter_flags{{
    {"active_service_only", &Filter::active_service_only},
    {"balance_due_only", &Filter::balance_due_only},
    {"billing_contacts_only", &Filter::billing_contacts_only},
    {"without_autopay_only", &Filter::without_autopay_only},
}};

// Strict parse of the filter object: unknown keys, wrong types, ids that are
// not positive integers, duplicate ids are ValidationErrors naming the field
// ("division_ids[1]"). Missing keys take their defaults. `path` prefixes field names.
Filter filter_from_json(const nlohmann::json& object, std::string_view path = "");
// Parses JSON text; malformed JSON is a ValidationError too.
Filter parse_filter(std::string_view json_text);
nlohmann::json filter_to_json(const Filter& filter);

void check_known_ids(const Filter& filter, const KnownIds& known, std::string_view path = "");

}  // namespace invites
