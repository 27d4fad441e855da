#pragma once
// The representative filters of the offline-evaluation benchmarks (native,
// Node and headless Chromium use the same list, in this order).
#include <vector>

#include "invites/filter.hpp"

namespace invites {

struct NamedFilter {
  const char* name;
  Filter filter;
};

inline std::vector<NamedFilter> representative_filters() {
  return {
      {"none", {}},
      {"one division", {.division_ids = {1}}},
      {"division + class + balance due", {.division_ids = {2}, .account_class_ids = {1, 2}, .balance_due_only = true}},
      {"site source + active service", {.site_source_ids = {3}, .active_service_only = true}},
      {"billing only + without autopay", {.billing_contacts_only = true, .without_autopay_only = true}},
      {"every filter at once",
       {.division_ids = {1, 3},
        .account_class_ids = {1, 2, 3},
        .bill_group_ids = {1, 2, 4},
        .account_source_ids = {1, 2},
        .site_source_ids = {1, 2},
        .active_service_only = true,
        .balance_due_only = true,
        .billing_contacts_only = true,
        .without_autopay_only = true}},
  };
}

}  // namespace invites
