#include "app/state.hpp"

#include <invites/email.hpp>
#include <invites/utc_time.hpp>

#include <algorithm>

namespace invites::app {

const char* to_string(Screen screen) {
  switch (screen) {
    case Screen::starting:
      return "starting";
    case Screen::login:
      return "login";
    case Screen::main:
      return "main";
  }
  return "starting";
}

const char* to_string(LoadStatus status) {
  switch (status) {
    case LoadStatus::idle:
      return "idle";
    case LoadStatus::loading:
      return "loading";
    case LoadStatus::loaded:
      return "loaded";
    case LoadStatus::failed:
      return "failed";
  }
  return "idle";
}

bool Session::has(int permission) const {
  return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
}

const char* list_label(ListKind kind) {
  switch (kind) {
    case ListKind::division:
      return "Division";
    case ListKind::account_class:
      return "Account Class";
    case ListKind::bill_group:
      return "Bill Group";
    case ListKind::account_source:
      return "Account Source";
    case ListKind::site_source:
      return "Site Source";
  }
  return "";
}

const char* flag_label(FlagKind kind) {
  switch (kind) {
    case FlagKind::active_service:
      return "Accounts With Active Service";
    case FlagKind::balance_due:
      return "Accounts With Balance Due";
    case FlagKind::billing_contacts:
      return "Restrict To Billing Contacts";
    case FlagKind::without_autopay:
      return "Accounts Without Automatic Payment";
  }
  return "";
}

const std::vector<LookupItem>& Lookups::list(ListKind kind) const {
  switch (kind) {
    case ListKind::division:
      return divisions;
    case ListKind::account_class:
      return account_classes;
    case ListKind::bill_group:
      return bill_groups;
    case ListKind::account_source:
      return account_sources;
    case ListKind::site_source:
      return site_sources;
  }
  return divisions;
}

std::vector<LookupItem>& Lookups::list(ListKind kind) {
  return const_cast<std::vector<LookupItem>&>(static_cast<const Lookups&>(*this).list(kind));
}

const std::vector<Id>& ids_of(const Filter& filter, ListKind kind) {
  switch (kind) {
    case ListKind::division:
      return filter.division_ids;
    case ListKind::account_class:
      return filter.account_class_ids;
    case ListKind::bill_group:
      return filter.bill_group_ids;
    case ListKind::account_source:
      return filter.account_source_ids;
    case ListKind::site_source:
      return filter.site_source_ids;
  }
  return filter.division_ids;
}

std::vector<Id>& ids_of(Filter& filter, ListKind kind) {
  return const_cast<std::vector<Id>&>(ids_of(static_cast<const Filter&>(filter), kind));
}

bool flag_of(const Filter& filter, FlagKind kind) {
  switch (kind) {
    case FlagKind::active_service:
      return filter.active_service_only;
    case FlagKind::balance_due:
      return filter.balance_due_only;
    case FlagKind::billing_contacts:
      return filter.billing_contacts_only;
    case FlagKind::without_autopay:
      return filter.without_autopay_only;
  }
  return false;
}

bool& flag_of(Filter& filter, FlagKind kind) {
  switch (kind) {
    case FlagKind::active_service:
      return filter.active_service_only;
    case FlagKind::balance_due:
      return filter.balance_due_only;
    case FlagKind::billing_contacts:
      return filter.billing_contacts_only;
    case FlagKind::without_autopay:
      break;
  }
  return filter.without_autopay_only;
}

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
  if (!generated) return preview.generated_at;
  const std::int64_t age = preview.snapshot_age_seconds.value_or(0);
  return readable_utc(*generated - (age > 0 ? age : 0));
}

const char* group_caption(CountGroup group) {
  switch (group) {
    case CountGroup::new_users:
      return "New users";
    case CountGroup::pending_invites:
      return "Pending invites";
    case CountGroup::excluded_existing:
      return "Excluded: existing account";
    case CountGroup::skipped_invalid_email:
      return "Skipped: invalid email";
    case CountGroup::skipped_suppressed:
      return "Skipped: bounced or complained";
  }
  return "";
}

const char* column_label(SortColumn column) {
  switch (column) {
    case SortColumn::email:
      return "Email";
    case SortColumn::first_name:
      return "First name";
    case SortColumn::last_name:
      return "Last name";
    case SortColumn::account_number:
      return "Account #";
    case SortColumn::account_name:
      return "Account name";
    case SortColumn::contact_id:
      return "Contact id";
    case SortColumn::last_invited_at:
      return "Last invited";
  }
  return "";
}

std::string url_encode(const std::string& text) {
  static constexpr char hex_digits[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex_digits[c >> 4];
      out += hex_digits[c & 15];
    }
  }
  return out;
}

namespace {

// group, q (when set), sort and order: the query every recipient URL shares.
std::string recipients_query(const RecipientTable& table) {
  std::string q = "group=" + std::string(count_group_name(table.group));
  if (!table.query.empty()) q += "&q=" + url_encode(table.query);
  q += "&sort=" + std::string(sort_column_name(table.sort)) + "&order=" + (table.descending ? "desc" : "asc");
  return q;
}

}  // namespace

std::string recipients_url(const RecipientTable& table, std::size_t offset, std::size_t limit) {
  return "/api/previews/" + url_encode(table.preview_id) + "/recipients?" + recipients_query(table) +
         "&offset=" + std::to_string(offset) + "&limit=" + std::to_string(limit);
}

std::string recipients_csv_url(const RecipientTable& table) {
  return "/api/previews/" + url_encode(table.preview_id) + "/recipients.csv?" + recipients_query(table);
}

}  // namespace invites::app
