#include "app/state.hpp"

#include <invites/email.hpp>

#include <algorithm>
#include <cstdio>

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

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<long long>(yoe) + era * 400 + (m <= 2);
}

// "YYYY-MM-DDTHH:MM:SS" with optional fraction and "Z" / "+00:00" (UTC only).
bool parse_utc(const std::string& text, long long& seconds) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6)
    return false;
  std::size_t rest = static_cast<std::size_t>(consumed);
  if (rest < text.size() && text[rest] == '.') {
    ++rest;
    while (rest < text.size() && text[rest] >= '0' && text[rest] <= '9') ++rest;
  }
  const std::string zone = text.substr(rest);
  if (!(zone == "Z" || zone == "z" || zone.empty() || zone == "+00:00" || zone == "+0000")) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  seconds =
      days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400LL + h * 3600LL + mi * 60LL + s;
  return true;
}

}  // namespace

std::string data_as_of(const Preview& preview) {
  long long seconds = 0;
  if (!parse_utc(preview.generated_at, seconds)) return preview.generated_at;
  if (preview.snapshot_age_seconds && *preview.snapshot_age_seconds > 0) seconds -= *preview.snapshot_age_seconds;
  long long days = seconds / 86400;
  long long in_day = seconds % 86400;
  if (in_day < 0) {
    in_day += 86400;
    --days;
  }
  long long y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char out[48];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u %02lld:%02lld:%02lld UTC", y, m, d, in_day / 3600,
                (in_day % 3600) / 60, in_day % 60);
  return out;
}

const char* group_param(RecipientGroup group) {
  switch (group) {
    case RecipientGroup::new_users:
      return "new_users";
    case RecipientGroup::pending_invites:
      return "pending_invites";
    case RecipientGroup::excluded_existing:
      return "excluded_existing";
    case RecipientGroup::skipped_invalid_email:
      return "skipped_invalid_email";
    case RecipientGroup::skipped_suppressed:
      return "skipped_suppressed";
  }
  return "new_users";
}

const char* group_caption(RecipientGroup group) {
  switch (group) {
    case RecipientGroup::new_users:
      return "New users";
    case RecipientGroup::pending_invites:
      return "Pending invites";
    case RecipientGroup::excluded_existing:
      return "Excluded: existing account";
    case RecipientGroup::skipped_invalid_email:
      return "Skipped: invalid email";
    case RecipientGroup::skipped_suppressed:
      return "Skipped: bounced or complained";
  }
  return "";
}

const char* column_param(RecipientColumn column) {
  switch (column) {
    case RecipientColumn::email:
      return "email";
    case RecipientColumn::first_name:
      return "first_name";
    case RecipientColumn::last_name:
      return "last_name";
    case RecipientColumn::account_number:
      return "account_number";
    case RecipientColumn::account_name:
      return "account_name";
    case RecipientColumn::contact_id:
      return "contact_id";
    case RecipientColumn::last_invited_at:
      return "last_invited_at";
  }
  return "email";
}

const char* column_label(RecipientColumn column) {
  switch (column) {
    case RecipientColumn::email:
      return "Email";
    case RecipientColumn::first_name:
      return "First name";
    case RecipientColumn::last_name:
      return "Last name";
    case RecipientColumn::account_number:
      return "Account #";
    case RecipientColumn::account_name:
      return "Account name";
    case RecipientColumn::contact_id:
      return "Contact id";
    case RecipientColumn::last_invited_at:
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
  std::string q = std::string("group=") + group_param(table.group);
  if (!table.query.empty()) q += "&q=" + url_encode(table.query);
  q += std::string("&sort=") + column_param(table.sort) + "&order=" + (table.descending ? "desc" : "asc");
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
