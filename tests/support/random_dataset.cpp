#include "random_dataset.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "invites/email.hpp"

namespace invites::testing {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

namespace {

const char* const first_names[] = {"Ana", "Ben",  "Chloé", "Dmitri", "Eve",  "Farah", "Gus",   "Hana", "Ivan", "Jo",
                                   "Kai", "Lena", "Marco", "Nia",    "Omar", "Pia",   "Quinn", "Rosa", "Sam",  "Tariq"};
const char* const last_names[] = {"Smith",       "O'Brien",  "García", "Nguyen",     "Müller",
                                  "Okafor",      "Rossi",    "Kim",    "Jones, Jr.", "Dubois",
                                  "\"Ace\" Lee", "=Formula", "Novak",  "Silva",      "Tanaka"};
const char* const domains[] = {"example.com", "mail.example.org", "haul.co", "bins.net", "city-utility.gov", "x.io"};

// Addresses the rule must reject, and ones that only normalization makes valid.
const char* const invalid_emails[] = {
    "",
    "   ",
    "plainaddress",
    "a..b@x.com",
    ".lead@x.com",
    "trail.@x.com",
    "a@b",
    "a@-b.com",
    "a@b-.com",
    "\"quoted\"@x.com",
    "two@@x.com",
    "a@b@x.com",
    "j\xC3\xB6rg@x.com",
    "a@m\xC3\xBCnchen.de",
    "name at x.com",
    "a b@x.com",
    "a@x_y.com",
    "a@b.c",
    "a@b.c0m",
    "@x.com",
    "nobody@",
    ("\xE2\x84\xAA"
     "elvin@x.com"),       // KELVIN SIGN: LOWER() in SQL maps it to 'k'
    "\xC4\xB0nci@x.com",   // LATIN CAPITAL I WITH DOT ABOVE
    "\xC2\xA0nbsp@x.com",  // no-break space is not trimmed
    "tab\tinside@x.com",
};

std::string pick(Rng& rng, const char* const* items, std::size_t count) { return items[rng.below(count)]; }
template <std::size_t N>
std::string pick(Rng& rng, const char* const (&items)[N]) {
  return pick(rng, items, N);
}

std::string mangle_case_and_space(Rng& rng, std::string email) {
  if (rng.chance(0.3))
    for (char& c : email)
      if (c >= 'a' && c <= 'z' && rng.chance(0.5)) c = static_cast<char>(c - 'a' + 'A');
  static const char* const spaces[] = {" ", "\t", "\r\n", "  \t", "\n"};
  if (rng.chance(0.1)) email = pick(rng, spaces) + email;
  if (rng.chance(0.1)) email += pick(rng, spaces);
  return email;
}

std::vector<NamedRow> named_rows(const char* prefix, Id count) {
  std::vector<NamedRow> rows;
  for (Id i = 1; i <= count; ++i) rows.push_back({i, std::string(prefix) + " " + std::to_string(i)});
  return rows;
}

Id nullable_id(Rng& rng, std::size_t count, double null_share) {
  return rng.chance(null_share) ? 0 : static_cast<Id>(1 + rng.below(count));
}

}  // namespace

Dataset generate_dataset(const DatasetOptions& options) {
  Rng rng(options.seed);
  Dataset d;
  const Id division_count = 4;
  for (Id i = 1; i <= division_count; ++i)
    d.divisions.push_back(
        {i, "Division " + std::to_string(i),
         i == division_count ? std::nullopt : std::optional<std::string>("billing" + std::to_string(i) + "@haul.co")});
  d.account_classes = named_rows("Class", 5);
  d.bill_groups = named_rows("Bill group", 6);
  d.account_sources = named_rows("Account source", 4);
  d.site_sources = named_rows("Site source", 5);

  d.accounts.reserve(options.accounts);
  d.contacts.reserve(options.accounts * 2);
  std::vector<std::string> issued;  // valid addresses handed out, for duplicates
  Id site_id = 0, service_id = 0, contact_id = 0;
  for (std::size_t n = 0; n < options.accounts; ++n) {
    // Gaps in the ids, like a real table with deletions.
    Id account_id = static_cast<Id>(n * 2 + 1 + rng.below(2));
    AccountRow account{account_id,
                       "A" + std::to_string(100000 + n),
                       pick(rng, last_names) + " " + (rng.chance(0.5) ? "Household" : "Holdings"),
                       static_cast<Id>(1 + rng.below(division_count)),
                       nullable_id(rng, d.account_classes.size(), 0.1),
                       nullable_id(rng, d.bill_groups.size(), 0.1),
                       nullable_id(rng, d.account_sources.size(), 0.2),
                       0,
                       rng.chance(0.3)};
    switch (rng.below(5)) {  // positive, zero, negative, and the one-cent edges
      case 0:
        account.balance_cents = 0;
        break;
      case 1:
        account.balance_cents = -static_cast<std::int64_t>(rng.below(50000));
        break;
      case 2:
        account.balance_cents = rng.chance(0.5) ? 1 : -1;
        break;
      default:
        account.balance_cents = static_cast<std::int64_t>(rng.below(100000));
        break;
    }
    d.accounts.push_back(account);

    std::size_t sites = rng.below(4);  // 0..3: some accounts have no site
    for (std::size_t s = 0; s < sites; ++s) {
      d.sites.push_back({++site_id, account_id, nullable_id(rng, d.site_sources.size(), 0.15),
                         std::to_string(1 + rng.below(9999)) + " Main St"});
      std::size_t services = rng.below(3);
      for (std::size_t v = 0; v < services; ++v) d.services.push_back({++service_id, site_id, rng.chance(0.6)});
    }

    std::size_t contacts = 1 + rng.below(3);  // 1..3 (docs/design.md §4)
    for (std::size_t c = 0; c < contacts; ++c) {
      contact_id += static_cast<Id>(1 + rng.below(3));
      ContactRow contact{contact_id,   account_id,     pick(rng, first_names), pick(rng, last_names),
                         std::nullopt, rng.chance(0.5)};
      double roll = static_cast<double>(rng.below(1'000'000)) / 1e6;
      if (roll < options.invalid_email_share * 0.3) {
        contact.email = std::nullopt;
      } else if (roll < options.invalid_email_share) {
        contact.email = pick(rng, invalid_emails);
      } else if (roll < options.invalid_email_share + options.shared_email_share && !issued.empty()) {
        contact.email = mangle_case_and_space(rng, issued[rng.below(issued.size())]);
      } else {
        std::string email =
            contact.first_name.substr(0, 2) + "." + std::to_string(contact_id) + "@" + pick(rng, domains);
        for (char& ch : email)
          if (static_cast<unsigned char>(ch) >= 0x80 || ch == '\'') ch = 'x';
        email = normalize_email(email);
        issued.push_back(email);
        contact.email = mangle_case_and_space(rng, email);
      }
      d.contacts.push_back(std::move(contact));
    }
  }
  // Lower-id contacts that share an address with a later account: the
  // representative must be the lowest id, not the first account.
  if (d.contacts.size() > 4) {
    for (std::size_t k = 0; k < d.contacts.size() / 50; ++k) {
      std::size_t early = rng.below(d.contacts.size() / 2);
      std::size_t late = d.contacts.size() / 2 + rng.below(d.contacts.size() / 2);
      if (d.contacts[late].email) d.contacts[early].email = mangle_case_and_space(rng, *d.contacts[late].email);
    }
  }

  // Portal users for a share of the addresses, plus some that match no contact.
  std::set<std::string> seen;
  for (const std::string& email : issued) {
    if (!rng.chance(0.35) || !seen.insert(email).second) continue;
    static const PortalStatus statuses[] = {PortalStatus::invited, PortalStatus::invited, PortalStatus::active,
                                            PortalStatus::disabled};
    PortalStatus status = statuses[rng.below(4)];
    d.portal_users.push_back(
        {email, status,
         status == PortalStatus::invited ? 1'690'000'000 + static_cast<std::int64_t>(rng.below(9'000'000)) : 0});
  }
  for (int k = 0; k < 5; ++k)
    d.portal_users.push_back({"orphan" + std::to_string(k) + "@nowhere.net", PortalStatus::active, 0});

  // Suppressions of a share of the addresses (whatever their portal user),
  // some lifted, plus some of addresses no contact has. Their own generator,
  // so the rows above are the same as without them.
  Rng suppression_rng(options.seed * 7919 + 13);
  std::set<std::string> suppressed;
  for (const std::string& email : issued)
    if (suppression_rng.chance(0.08) && suppressed.insert(email).second)
      d.suppressions.push_back({email, suppression_rng.chance(0.25)});
  for (int k = 0; k < 3; ++k) d.suppressions.push_back({"gone" + std::to_string(k) + "@nowhere.net", false});

  // Names from the account's first contact, with their own generator too.
  if (options.named_after_contact_share > 0 || options.family_last_name_share > 0) {
    Rng names_rng(options.seed * 104729 + 7);
    std::map<Id, std::size_t> first_contact;  // account id -> index of its lowest-id contact
    for (std::size_t c = 0; c < d.contacts.size(); ++c) {
      auto [at, added] = first_contact.try_emplace(d.contacts[c].account_id, c);
      if (!added && d.contacts[c].id < d.contacts[at->second].id) at->second = c;
    }
    for (std::size_t c = 0; c < d.contacts.size(); ++c) {
      const std::size_t first = first_contact.at(d.contacts[c].account_id);
      if (first != c && names_rng.chance(options.family_last_name_share))
        d.contacts[c].last_name = d.contacts[first].last_name;
    }
    for (auto& account : d.accounts) {
      const auto found = first_contact.find(account.id);
      if (found == first_contact.end() || !names_rng.chance(options.named_after_contact_share)) continue;
      const ContactRow& holder = d.contacts[found->second];
      account.name = names_rng.chance(0.5) ? holder.last_name + ", " + holder.first_name
                                           : holder.first_name + " " + holder.last_name;
    }
  }
  return d;
}

std::vector<AccountRecord> account_records_of(const Dataset& data) {
  std::map<Id, AccountRecord> accounts;
  for (const auto& a : data.accounts) {
    AccountRecord& record = accounts[a.id];
    record.id = a.id;
    record.division_id = a.division_id;
    record.account_class_id = a.account_class_id;
    record.bill_group_id = a.bill_group_id;
    record.account_source_id = a.account_source_id;
    record.balance_due = a.balance_cents > 0;
    record.autopay = a.autopay;
    record.account_number = a.number;
    record.name = a.name;
  }
  std::map<Id, Id> account_of_site;
  for (const auto& s : data.sites) {
    account_of_site[s.id] = s.account_id;
    if (s.site_source_id) accounts[s.account_id].site_source_ids.push_back(s.site_source_id);
  }
  for (const auto& v : data.services)
    if (v.active) accounts[account_of_site[v.site_id]].has_active_service = true;
  std::vector<AccountRecord> records;
  records.reserve(accounts.size());
  for (auto& [id, record] : accounts) records.push_back(std::move(record));
  return records;
}

Snapshot snapshot_of(const Dataset& data, std::int64_t generated_at) {
  SnapshotBuilder builder;
  for (auto& record : account_records_of(data)) builder.add_account(std::move(record));
  for (const auto& c : data.contacts)
    builder.add_contact({c.id, c.account_id, c.email, c.first_name, c.last_name, c.is_billing});
  for (const auto& p : data.portal_users) builder.add_portal_user({p.email, p.status, p.last_invited_at});
  for (const auto& s : data.suppressions)
    if (!s.lifted) builder.append_suppression(s.email);
  return std::move(builder).build(generated_at);
}

Filter random_filter(Rng& rng, const Dataset& data) {
  auto ids = [&](std::size_t count) {
    std::vector<Id> chosen;
    if (rng.chance(0.55)) return chosen;  // "any"
    std::size_t n = 1 + rng.below(3);
    for (std::size_t i = 0; i < n; ++i) {
      Id id = static_cast<Id>(1 + rng.below(count + 1));  // count + 1: an id no row has
      if (std::find(chosen.begin(), chosen.end(), id) == chosen.end()) chosen.push_back(id);
    }
    return chosen;
  };
  Filter f;
  f.division_ids = ids(data.divisions.size());
  f.account_class_ids = ids(data.account_classes.size());
  f.bill_group_ids = ids(data.bill_groups.size());
  f.account_source_ids = ids(data.account_sources.size());
  f.site_source_ids = ids(data.site_sources.size());
  f.active_service_only = rng.chance(0.3);
  f.balance_due_only = rng.chance(0.3);
  f.billing_contacts_only = rng.chance(0.3);
  f.without_autopay_only = rng.chance(0.3);
  return f;
}

std::vector<CandidateContact> candidates_of(const Dataset& data, const Filter& f) {
  auto admits = [](const std::vector<Id>& ids, Id id) {
    return ids.empty() || (id != 0 && std::find(ids.begin(), ids.end(), id) != ids.end());
  };
  std::map<Id, const AccountRow*> accounts;
  for (const auto& a : data.accounts) accounts[a.id] = &a;
  std::map<Id, bool> has_site_source, has_active;
  std::map<Id, Id> account_of_site;
  for (const auto& s : data.sites) {
    account_of_site[s.id] = s.account_id;
    if (s.site_source_id && admits(f.site_source_ids, s.site_source_id)) has_site_source[s.account_id] = true;
  }
  for (const auto& v : data.services)
    if (v.active) has_active[account_of_site[v.site_id]] = true;

  std::vector<CandidateContact> candidates;
  for (const auto& c : data.contacts) {
    const AccountRow& a = *accounts.at(c.account_id);
    bool match = admits(f.division_ids, a.division_id) && admits(f.account_class_ids, a.account_class_id) &&
                 admits(f.bill_group_ids, a.bill_group_id) && admits(f.account_source_ids, a.account_source_id) &&
                 (f.site_source_ids.empty() || has_site_source[a.id]) && (!f.active_service_only || has_active[a.id]) &&
                 (!f.balance_due_only || a.balance_cents > 0) && (!f.without_autopay_only || !a.autopay) &&
                 (!f.billing_contacts_only || c.is_billing);
    if (match) candidates.push_back({c.id, c.email});
  }
  return candidates;
}

PortalLookup portal_lookup_of(const Dataset& data) {
  auto standings = std::make_shared<std::map<std::string, AddressStanding, std::less<>>>();
  for (const auto& p : data.portal_users) (*standings)[p.email].status = p.status;
  for (const auto& s : data.suppressions)
    if (!s.lifted) (*standings)[s.email].suppressed = true;
  return [standings](std::string_view email) {
    auto it = standings->find(email);
    return it == standings->end() ? AddressStanding{} : it->second;
  };
}

}  // namespace invites::testing
