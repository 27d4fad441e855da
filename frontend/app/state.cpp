#include "app/state.hpp"

#include <invites/email.hpp>
#include <invites/enum_names.hpp>
#include <invites/percent_encoding.hpp>
#include <invites/utc_time.hpp>

#include <algorithm>
#include <array>

namespace invites::app {

namespace {

// Indexed by the enumerators' values (invites/enum_names.hpp).
constexpr std::array<const char*, 3> screen_names{"starting", "login", "main"};
constexpr std::array<const char*, 4> load_status_names{"idle", "loading", "loaded", "failed"};
static_assert(detail::all_named(screen_names) && detail::all_named(load_status_names));

// Each filter list: its label and where its items are looked up; its
// selection is the filter's id list (invites::filter_id_lists). By ListKind.
struct ListFields {
  const char* label;
  std::vector<LookupItem> Lookups::*items;
};
constexpr std::array<ListFields, all_lists.size()> list_fields{{
    {"Division", &Lookups::divisions},
    {"Account Class", &Lookups::account_classes},
    {"Bill Group", &Lookups::bill_groups},
    {"Account Source", &Lookups::account_sources},
    {"Site Source", &Lookups::site_sources},
}};
// By FlagKind; the flags themselves are invites::filter_flags.
constexpr std::array<const char*, all_flags.size()> flag_labels{
    "Accounts With Active Service", "Accounts With Balance Due", "Restrict To Billing Contacts",
    "Accounts Without Automatic Payment"};
// ListKind and FlagKind follow the order of the filter's fields.
static_assert(filter_id_lists.size() == all_lists.size() && filter_flags.size() == all_flags.size() &&
              detail::all_named(flag_labels));
static_assert(filter_id_lists[static_cast<std::size_t>(ListKind::site_source)].ids == &Filter::site_source_ids &&
              filter_flags[static_cast<std::size_t>(FlagKind::without_autopay)].on == &Filter::without_autopay_only);

std::size_t index_of(ListKind kind) { return static_cast<std::size_t>(kind); }
std::size_t index_of(FlagKind kind) { return static_cast<std::size_t>(kind); }

}  // namespace

const char* to_string(Screen screen) { return detail::name_in(screen_names, screen); }

const char* to_string(LoadStatus status) { return detail::name_in(load_status_names, status); }

bool Session::has(int permission) const {
  return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
}

const char* list_label(ListKind kind) { return list_fields[index_of(kind)].label; }

const char* flag_label(FlagKind kind) { return detail::name_in(flag_labels, kind); }

const std::vector<LookupItem>& Lookups::list(ListKind kind) const { return this->*list_fields[index_of(kind)].items; }

std::vector<LookupItem>& Lookups::list(ListKind kind) { return this->*list_fields[index_of(kind)].items; }

const std::vector<Id>& ids_of(const Filter& filter, ListKind kind) {
  return filter.*filter_id_lists[index_of(kind)].ids;
}

std::vector<Id>& ids_of(Filter& filter, ListKind kind) { return filter.*filter_id_lists[index_of(kind)].ids; }

bool flag_of(const Filter& filter, FlagKind kind) { return filter.*filter_flags[index_of(kind)].on; }

bool& flag_of(Filter& filter, FlagKind kind) { return filter.*filter_flags[index_of(kind)].on; }

bool can_use_invites(const State& state) { return state.session && state.session->has(permission_send_invites); }

bool preview_stale(const State& state) {
  return state.preview.has_result &&
         (state.preview.loaded_filter != state.form.filter ||
          (!state.send.outdated_preview_id.empty() && state.preview.preview_id == state.send.outdated_preview_id));
}

bool can_load(const State& state) {
  return can_use_invites(state) && state.lookups.status == LoadStatus::loaded &&
         state.preview.status != LoadStatus::loading;
}

bool can_send(const State& state) {
  return can_use_invites(state) && state.preview.has_result && state.preview.status != LoadStatus::loading &&
         !preview_stale(state) && !state.form.email_from.empty() && email_from_problem(state.form).empty() &&
         !state.offline.offline && state.preview.preview_id.rfind("offline-", 0) != 0;  // only a server Load
}

std::string email_from_problem(const InviteForm& form) {
  if (form.email_from.empty() || is_valid_email(normalize_email(form.email_from))) return {};
  return invalid_email_message;
}

std::string selection_summary(const std::vector<LookupItem>& items, const std::vector<Id>& selected) {
  if (selected.empty()) return "All";
  if (selected.size() == 1) {
    for (const LookupItem& item : items)
      if (item.id == selected.front()) return item.name;
    return "1 selected";
  }
  return std::to_string(selected.size()) + " selected";
}

std::string data_as_of(const Preview& preview) {
  const std::optional<std::int64_t> generated = parse_iso8601_utc(preview.generated_at);
  return generated ? readable_utc(*generated) : preview.generated_at;
}

const char* group_caption(CountGroup group) {
  // Indexed by CountGroup.
  static constexpr std::array<const char*, all_count_groups.size()> captions{
      "New users", "Pending invites", "Skipped: invalid email", "Excluded: existing account",
      "Skipped: bounced or complained"};
  static_assert(detail::all_named(captions));
  return detail::name_in(captions, group);
}

const char* column_label(SortColumn column) {
  // Indexed by SortColumn.
  static constexpr std::array<const char*, all_sort_columns.size()> labels{
      "Email", "First name", "Last name", "Account #", "Account name", "Contact id", "Last invited"};
  static_assert(detail::all_named(labels));
  return detail::name_in(labels, column);
}

namespace {

// group, q (when set), sort and order: the query every recipient URL shares.
std::string recipients_query(const RecipientTable& table) {
  std::string q = "group=" + std::string(count_group_name(table.group));
  if (!table.query.empty()) q += "&q=" + percent_encode(table.query);
  q += "&sort=" + std::string(sort_column_name(table.sort)) + "&order=" + (table.descending ? "desc" : "asc");
  return q;
}

}  // namespace

std::string recipients_url(const RecipientTable& table, std::size_t offset, std::size_t limit) {
  return "/api/previews/" + percent_encode(table.preview_id) + "/recipients?" + recipients_query(table) +
         "&offset=" + std::to_string(offset) + "&limit=" + std::to_string(limit);
}

std::string recipients_csv_url(const RecipientTable& table) {
  return "/api/previews/" + percent_encode(table.preview_id) + "/recipients.csv?" + recipients_query(table);
}

}  // namespace invites::app
