#include "invites/snapshot.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>

#include "invites/email.hpp"
#include "invites/error.hpp"

namespace invites {

std::optional<std::uint32_t> Snapshot::find_email(std::string_view normalized) const {
  std::size_t low = 0, high = email.size();
  while (low < high) {
    std::size_t mid = low + (high - low) / 2;
    if (email[mid] < normalized) low = mid + 1;
    else high = mid;
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

  email_contacts_begin.assign(email.size() + 1, 0);
  for (std::uint32_t e : contact_email)
    if (e != no_email) ++email_contacts_begin[e + 1];
  for (std::size_t e = 0; e < email.size(); ++e) email_contacts_begin[e + 1] += email_contacts_begin[e];
  email_contacts.resize(email_contacts_begin.back());
  std::vector<std::uint32_t> next(email_contacts_begin.begin(), email_contacts_begin.end() - 1);
  for (std::size_t c = 0; c < contact_email.size(); ++c)  // ascending contact order
    if (contact_email[c] != no_email) email_contacts[next[contact_email[c]]++] = static_cast<std::uint32_t>(c);
}

void SnapshotBuilder::add_account(AccountRecord account) { accounts_.push_back(std::move(account)); }
void SnapshotBuilder::add_contact(ContactRecord contact) { contacts_.push_back(std::move(contact)); }
void SnapshotBuilder::add_portal_user(PortalUserRecord user) { portal_users_.push_back(std::move(user)); }

Snapshot SnapshotBuilder::build(std::int64_t generated_at) && {
  Snapshot snapshot;
  snapshot.generated_at = generated_at;

  std::sort(accounts_.begin(), accounts_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::unordered_map<Id, std::uint32_t> account_index;
  account_index.reserve(accounts_.size());
  std::size_t name_bytes = 0;
  for (const auto& account : accounts_) name_bytes += account.account_number.size() + account.name.size();
  snapshot.account_number.reserve(accounts_.size(), name_bytes);
  snapshot.account_name.reserve(accounts_.size(), name_bytes);
  for (auto& account : accounts_) {
    if (account.id == 0) throw ValidationError("accounts.id", "an account id must be positive");
    if (!account_index.emplace(account.id, static_cast<std::uint32_t>(snapshot.account_id.size())).second)
      throw ValidationError("accounts.id", "duplicate account id " + std::to_string(account.id));
    snapshot.account_id.push_back(account.id);
    snapshot.account_division.push_back(account.division_id);
    snapshot.account_class.push_back(account.account_class_id);
    snapshot.account_bill_group.push_back(account.bill_group_id);
    snapshot.account_source.push_back(account.account_source_id);
    snapshot.account_flags.push_back(static_cast<std::uint8_t>((account.balance_due ? account_flag::balance_due : 0) |
                                                               (account.autopay ? account_flag::autopay : 0) |
                                                               (account.has_active_service ? account_flag::has_active_service : 0)));
    auto& sources = account.site_source_ids;
    std::sort(sources.begin(), sources.end());
    sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
    sources.erase(std::remove(sources.begin(), sources.end(), Id{0}), sources.end());
    snapshot.site_source_ids.insert(snapshot.site_source_ids.end(), sources.begin(), sources.end());
    snapshot.site_source_begin.push_back(static_cast<std::uint32_t>(snapshot.site_source_ids.size()));
    snapshot.account_number.push_back(account.account_number);
    snapshot.account_name.push_back(account.name);
  }
  accounts_.clear();

  // Distinct normalized addresses, sorted, so results come out in digest order.
  std::sort(contacts_.begin(), contacts_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<std::string> normalized(contacts_.size());
  for (std::size_t i = 0; i < contacts_.size(); ++i)
    if (contacts_[i].email) normalized[i] = normalize_email(*contacts_[i].email);
  std::vector<std::uint32_t> order;
  order.reserve(contacts_.size());
  for (std::size_t i = 0; i < contacts_.size(); ++i)
    if (contacts_[i].email) order.push_back(static_cast<std::uint32_t>(i));
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return normalized[a] < normalized[b]; });
  std::vector<std::uint32_t> email_of_contact(contacts_.size(), no_email);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::string& email = normalized[order[k]];
    if (k == 0 || email != normalized[order[k - 1]]) snapshot.email.push_back(email);
    email_of_contact[order[k]] = static_cast<std::uint32_t>(snapshot.email.size() - 1);
  }
  snapshot.email_status.assign(snapshot.email.size(), PortalStatus::none);
  snapshot.email_last_invited_at.assign(snapshot.email.size(), 0);
  for (const auto& user : portal_users_) {
    if (auto index = snapshot.find_email(user.email)) {
      snapshot.email_status[*index] = user.status;
      snapshot.email_last_invited_at[*index] = user.last_invited_at;
    }
  }
  portal_users_.clear();

  for (std::size_t i = 0; i < contacts_.size(); ++i) {
    auto& contact = contacts_[i];
    if (contact.id == 0) throw ValidationError("contacts.id", "a contact id must be positive");
    if (i > 0 && contacts_[i - 1].id == contact.id)
      throw ValidationError("contacts.id", "duplicate contact id " + std::to_string(contact.id));
    auto account = account_index.find(contact.account_id);
    if (account == account_index.end())
      throw ValidationError("contacts.account_id", "contact " + std::to_string(contact.id) + " refers to unknown account " +
                                                       std::to_string(contact.account_id));
    snapshot.contact_id.push_back(contact.id);
    snapshot.contact_account.push_back(account->second);
    snapshot.contact_email.push_back(email_of_contact[i]);
    snapshot.contact_is_billing.push_back(contact.is_billing ? 1 : 0);
    snapshot.contact_first_name.push_back(contact.first_name);
    snapshot.contact_last_name.push_back(contact.last_name);
  }
  contacts_.clear();
  snapshot.derive_indexes();
  return snapshot;
}

}  // namespace invites
