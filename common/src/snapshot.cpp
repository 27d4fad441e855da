#include "invites/snapshot.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "invites/email.hpp"
#include "invites/error.hpp"

namespace invites {

std::optional<std::uint32_t> Snapshot::find_email(std::string_view normalized) const {
  std::size_t low = 0, high = email.size();
  while (low < high) {
    std::size_t mid = low + (high - low) / 2;
    if (email[mid] < normalized)
      low = mid + 1;
    else
      high = mid;
  }
  if (low < email.size() && email[low] == normalized) return static_cast<std::uint32_t>(low);
  return std::nullopt;
}

std::optional<std::uint32_t> Snapshot::find_contact(Id id) const {
  auto it = std::lower_bound(contact_id.begin(), contact_id.end(), id);
  if (it == contact_id.end() || *it != id) return std::nullopt;
  return static_cast<std::uint32_t>(it - contact_id.begin());
}

void Snapshot::derive_indexes() {
  email_valid.resize(email.size());
  for (std::size_t i = 0; i < email.size(); ++i) email_valid[i] = is_valid_email(email[i]) ? 1 : 0;
  derive_contact_indexes();
}

void Snapshot::derive_contact_indexes() {
  email_contacts_begin.assign(email.size() + 1, 0);
  for (std::uint32_t e : contact_email)
    if (e != no_email) ++email_contacts_begin[e + 1];
  for (std::size_t e = 0; e < email.size(); ++e) email_contacts_begin[e + 1] += email_contacts_begin[e];

  // One pass in ascending contact order: each contact with an address goes
  // to its address's next slot (so each address lists its contacts by id),
  // with what a filter asks of it; the others are listed as without one.
  email_contacts.resize(email_contacts_begin.back());
  email_contact_account_billing.resize(email_contacts.size());
  contacts_without_valid_email.clear();
  std::vector<std::uint32_t> next(email_contacts_begin.begin(), email_contacts_begin.end() - 1);
  for (std::uint32_t c = 0; c < contact_email.size(); ++c) {
    const std::uint32_t e = contact_email[c];
    if (e == no_email || !email_valid[e]) contacts_without_valid_email.push_back(c);
    if (e == no_email) continue;
    const std::uint32_t slot = next[e]++;
    email_contacts[slot] = c;
    // Account indexes fit in 31 bits: 2^31 accounts would not fit in memory.
    email_contact_account_billing[slot] = contact_account[c] << 1 | contact_is_billing[c];
  }
  contacts_without_valid_email.shrink_to_fit();
}

namespace {

template <typename T>
void shrink(std::vector<T>& v) {
  if (v.capacity() - v.size() > v.size() / 8) v.shrink_to_fit();
}

void shrink(StringColumn& column) { column.shrink_to_fit(); }

// shrink() of each of `columns`.
template <typename... Columns>
void shrink_all(Columns&... columns) {
  (shrink(columns), ...);
}

template <typename T>
void release(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

template <typename T>
void reserve_like(std::vector<T>& out, const std::vector<T>& like) {
  out.reserve(like.size());
}

void reserve_like(StringColumn& out, const StringColumn& like) { out.reserve(like.size(), like.byte_size()); }

// `column` reordered so that element i is the old element order[i].
template <typename Column>
void permute(Column& column, const std::vector<std::uint32_t>& order) {
  Column out;
  reserve_like(out, column);
  for (std::uint32_t i : order) out.push_back(column[i]);
  column = std::move(out);
}

// Each of `columns` reordered by the same `order`.
template <typename... Columns>
void permute_all(const std::vector<std::uint32_t>& order, Columns&... columns) {
  (permute(columns, order), ...);
}

// Positions 0..n-1 ordered by ascending id (stable, so equal ids stay adjacent
// in arrival order).
std::vector<std::uint32_t> order_by_id(const std::vector<Id>& ids) {
  std::vector<std::uint32_t> order(ids.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return ids[a] < ids[b]; });
  return order;
}

}  // namespace

SnapshotBuilder::SnapshotBuilder() = default;

void SnapshotBuilder::add_account(const AccountRecord& account) {
  append_account(AccountRowRef{account.id, account.division_id, account.account_class_id, account.bill_group_id,
                               account.account_source_id, account.balance_due, account.autopay,
                               account.has_active_service, account.account_number, account.name},
                 account.site_source_ids);
}

void SnapshotBuilder::append_account(const AccountRowRef& account, std::span<const Id> site_source_ids) {
  check_open();
  Snapshot& s = snapshot_;
  if (!s.account_id.empty() && account.id <= s.account_id.back()) accounts_sorted_ = false;
  s.account_id.push_back(account.id);
  s.account_division.push_back(account.division_id);
  s.account_class.push_back(account.account_class_id);
  s.account_bill_group.push_back(account.bill_group_id);
  s.account_source.push_back(account.account_source_id);
  s.account_flags.push_back(static_cast<std::uint8_t>(
      (account.balance_due ? account_flag::balance_due : 0) | (account.autopay ? account_flag::autopay : 0) |
      (account.has_active_service ? account_flag::has_active_service : 0)));
  // Distinct, ascending, without 0.
  const std::size_t first = s.site_source_ids.size();
  for (Id id : site_source_ids)
    if (id != 0) s.site_source_ids.push_back(id);
  const auto begin = s.site_source_ids.begin() + static_cast<std::ptrdiff_t>(first);
  if (!std::is_sorted(begin, s.site_source_ids.end())) std::sort(begin, s.site_source_ids.end());
  s.site_source_ids.erase(std::unique(begin, s.site_source_ids.end()), s.site_source_ids.end());
  s.site_source_begin.push_back(static_cast<std::uint32_t>(s.site_source_ids.size()));
  s.account_number.push_back(account.account_number);
  s.account_name.push_back(account.name);
}

void SnapshotBuilder::add_contact(const ContactRecord& contact) {
  std::optional<std::string_view> email;
  if (contact.email) email = *contact.email;
  append_contact(
      ContactRowRef{contact.id, contact.account_id, email, contact.first_name, contact.last_name, contact.is_billing});
}

void SnapshotBuilder::append_contact(const ContactRowRef& contact) {
  check_open();
  Snapshot& s = snapshot_;
  if (!s.contact_id.empty() && contact.id <= s.contact_id.back()) contacts_sorted_ = false;
  s.contact_id.push_back(contact.id);
  s.contact_account.push_back(contact.account_id);  // an account id until build()
  s.contact_email.push_back(contact.email ? 0 : no_email);
  s.contact_is_billing.push_back(contact.is_billing ? 1 : 0);
  s.contact_first_name.push_back(contact.first_name);
  s.contact_last_name.push_back(contact.last_name);
  if (contact.email)
    normalized_.push_back_with([&](std::string& out) { append_normalized_email(*contact.email, out); });
  else
    normalized_.push_back({});
}

void SnapshotBuilder::add_portal_user(const PortalUserRecord& user) {
  append_portal_user(user.email, user.status, user.last_invited_at);
}

void SnapshotBuilder::append_portal_user(std::string_view email, PortalStatus status, std::int64_t last_invited_at) {
  if (contacts_indexed_) {
    Snapshot& s = snapshot_;
    if (const auto index = s.find_email(email)) {
      s.email_status[*index] = status;
      s.email_last_invited_at[*index] = last_invited_at;
    }
    return;
  }
  portal_email_.push_back(email);
  portal_status_.push_back(status);
  portal_last_invited_at_.push_back(last_invited_at);
}

void SnapshotBuilder::append_suppression(std::string_view email) {
  if (!contacts_indexed_) {
    suppressed_email_.push_back(email);
  } else if (const auto index = snapshot_.find_email(email)) {
    snapshot_.email_suppressed[*index] = 1;
  }
}

void SnapshotBuilder::check_open() const {
  if (contacts_indexed_) throw std::logic_error("SnapshotBuilder: accounts and contacts come before index_contacts()");
}

void SnapshotBuilder::sort_accounts() {
  Snapshot& s = snapshot_;
  const auto order = order_by_id(s.account_id);
  permute_all(order, s.account_id, s.account_division, s.account_class, s.account_bill_group, s.account_source,
              s.account_flags, s.account_number, s.account_name);
  std::vector<std::uint32_t> begin{0};
  std::vector<Id> ids;
  begin.reserve(s.site_source_begin.size());
  ids.reserve(s.site_source_ids.size());
  for (std::uint32_t a : order) {
    ids.insert(ids.end(), s.site_source_ids.begin() + s.site_source_begin[a],
               s.site_source_ids.begin() + s.site_source_begin[a + 1]);
    begin.push_back(static_cast<std::uint32_t>(ids.size()));
  }
  s.site_source_begin = std::move(begin);
  s.site_source_ids = std::move(ids);
  accounts_sorted_ = true;
}

void SnapshotBuilder::sort_contacts() {
  Snapshot& s = snapshot_;
  const auto order = order_by_id(s.contact_id);
  permute_all(order, s.contact_id, s.contact_account, s.contact_email, s.contact_is_billing, s.contact_first_name,
              s.contact_last_name, normalized_);
  contacts_sorted_ = true;
}

void SnapshotBuilder::index_contacts() {
  if (contacts_indexed_) return;
  Snapshot& s = snapshot_;
  if (!accounts_sorted_) sort_accounts();
  for (std::size_t a = 0; a < s.account_id.size(); ++a) {
    if (s.account_id[a] == 0) throw ValidationError("accounts.id", "an account id must be positive");
    if (a > 0 && s.account_id[a - 1] == s.account_id[a])
      throw ValidationError("accounts.id", "duplicate account id " + std::to_string(s.account_id[a]));
  }

  if (!contacts_sorted_) sort_contacts();
  // Contacts: check ids and turn account ids into account indexes.
  std::uint32_t last_account = 0;
  for (std::size_t c = 0; c < s.contact_id.size(); ++c) {
    const Id id = s.contact_id[c];
    if (id == 0) throw ValidationError("contacts.id", "a contact id must be positive");
    if (c > 0 && s.contact_id[c - 1] == id)
      throw ValidationError("contacts.id", "duplicate contact id " + std::to_string(id));
    const Id account_id = s.contact_account[c];
    if (last_account >= s.account_id.size() || s.account_id[last_account] != account_id) {
      auto it = std::lower_bound(s.account_id.begin(), s.account_id.end(), account_id);
      if (it == s.account_id.end() || *it != account_id)
        throw ValidationError("contacts.account_id", "contact " + std::to_string(id) + " refers to unknown account " +
                                                         std::to_string(account_id));
      last_account = static_cast<std::uint32_t>(it - s.account_id.begin());
    }
    s.contact_account[c] = last_account;
  }

  // Distinct normalized addresses, sorted, so results come out in digest order.
  {
    std::vector<std::uint32_t> order;
    std::size_t with_email = 0;
    for (std::uint32_t e : s.contact_email) with_email += e != no_email;
    order.reserve(with_email);
    for (std::size_t c = 0; c < s.contact_email.size(); ++c)
      if (s.contact_email[c] != no_email) order.push_back(static_cast<std::uint32_t>(c));
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return normalized_[a] < normalized_[b]; });
    std::size_t distinct = 0, bytes = 0;
    for (std::size_t k = 0; k < order.size(); ++k)
      if (k == 0 || normalized_[order[k]] != normalized_[order[k - 1]]) {
        ++distinct;
        bytes += normalized_[order[k]].size();
      }
    s.email.reserve(distinct, bytes);
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::string_view email = normalized_[order[k]];
      if (k == 0 || email != normalized_[order[k - 1]]) s.email.push_back(email);
      s.contact_email[order[k]] = static_cast<std::uint32_t>(s.email.size() - 1);
    }
  }
  normalized_.release();

  s.email_status.assign(s.email.size(), PortalStatus::none);
  s.email_last_invited_at.assign(s.email.size(), 0);
  s.email_suppressed.assign(s.email.size(), 0);
  contacts_indexed_ = true;
  // Those that came first, now that their addresses can be found.
  for (std::size_t u = 0; u < portal_email_.size(); ++u)
    append_portal_user(portal_email_[u], portal_status_[u], portal_last_invited_at_[u]);
  portal_email_.release();
  release(portal_status_);
  release(portal_last_invited_at_);
  for (std::size_t u = 0; u < suppressed_email_.size(); ++u) append_suppression(suppressed_email_[u]);
  suppressed_email_.release();
}

Snapshot SnapshotBuilder::build(std::int64_t generated_at) && {
  Snapshot& s = snapshot_;
  s.generated_at = generated_at;
  index_contacts();

  // The columns grew by doubling: give back what is left over.
  shrink_all(s.account_id, s.account_division, s.account_class, s.account_bill_group, s.account_source, s.account_flags,
             s.site_source_begin, s.site_source_ids, s.account_number, s.account_name);
  shrink_all(s.contact_id, s.contact_account, s.contact_email, s.contact_is_billing, s.contact_first_name,
             s.contact_last_name);

  s.derive_indexes();
  Snapshot result = std::move(s);
  s = Snapshot{};
  return result;
}

PortalColumns portal_columns(const Snapshot& snapshot) {
  return {snapshot.email_status, snapshot.email_last_invited_at, snapshot.email_suppressed};
}

}  // namespace invites
