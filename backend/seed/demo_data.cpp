#include "seed/demo_data.hpp"

#include <cstdio>

#include "invites/email.hpp"

namespace invites::seed {
namespace {

constexpr std::int64_t base_time = 1'735'689'600;  // 2025-01-01T00:00:00Z
constexpr std::int64_t day = 86'400;
constexpr std::size_t recent_capacity = 20'000;

const char* const first_names[] = {
    "James",     "Mary",     "Robert",      "Patricia", "John",     "Jennifer", "Michael",   "Linda",    "David",
    "Elizabeth", "William",  "Barbara",     "Richard",  "Susan",    "Joseph",   "Jessica",   "Thomas",   "Sarah",
    "Charles",   "Karen",    "Christopher", "Lisa",     "Daniel",   "Nancy",    "Matthew",   "Betty",    "Anthony",
    "Margaret",  "Mark",     "Sandra",      "Donald",   "Ashley",   "Steven",   "Kimberly",  "Paul",     "Emily",
    "Andrew",    "Donna",    "Joshua",      "Michelle", "Kenneth",  "Carol",    "Kevin",     "Amanda",   "Brian",
    "Dorothy",   "George",   "Melissa",     "Timothy",  "Deborah",  "Ronald",   "Stephanie", "Jason",    "Rebecca",
    "Edward",    "Sharon",   "Jeffrey",     "Laura",    "Ryan",     "Cynthia",  "Jacob",     "Kathleen", "Gary",
    "Amy",       "Nicholas", "Angela",      "Eric",     "Shirley",  "Jonathan", "Anna",      "Luis",     "Maria",
    "Jose",      "Rosa",     "Wei",         "Mei",      "Raj",      "Priya",    "Ahmed",     "Fatima",   "Olga",
    "Ivan",      "Chloe",    "Liam",        "Noah",     "Emma",     "Olivia",   "Ava",       "Zoe",      "Mateo",
    "Aaliyah",   "Renée",    "José",        "Zoë",      "François", "Siobhán"};
const char* const last_names[] = {
    "Smith",    "Johnson",   "Williams",     "Brown",    "Jones",      "Garcia",   "Miller",   "Davis",   "Rodriguez",
    "Martinez", "Hernandez", "Lopez",        "Gonzalez", "Wilson",     "Anderson", "Thomas",   "Taylor",  "Moore",
    "Jackson",  "Martin",    "Lee",          "Perez",    "Thompson",   "White",    "Harris",   "Sanchez", "Clark",
    "Ramirez",  "Lewis",     "Robinson",     "Walker",   "Young",      "Allen",    "King",     "Wright",  "Scott",
    "Torres",   "Nguyen",    "Hill",         "Flores",   "Green",      "Adams",    "Nelson",   "Baker",   "Hall",
    "Rivera",   "Campbell",  "Mitchell",     "Carter",   "Roberts",    "Chen",     "Patel",    "Kim",     "O'Brien",
    "O'Neil",   "McDonald",  "Van der Berg", "Schmidt",  "Müller",     "Novak",    "Kowalski", "Murphy",  "Cook",
    "Rogers",   "Morgan",    "Peterson",     "Cooper",   "Reed",       "Bailey",   "Bell",     "Gomez",   "Kelly",
    "Howard",   "Ward",      "Cox",          "Diaz",     "Richardson", "Wood",     "Watson",   "Brooks",  "Bennett",
    "Gray",     "James",     "Reyes",        "Cruz",     "Hughes",     "Price",    "Myers",    "Long"};
const char* const streets[] = {"Main St",   "Oak Ave",         "Maple Dr",        "Cedar Ln",     "Pine St",
                               "Elm St",    "Washington Blvd", "Lakeview Rd",     "Hillcrest Dr", "Park Ave",
                               "River Rd",  "Sunset Blvd",     "Industrial Pkwy", "Commerce Way", "Mill Rd",
                               "Church St", "Highland Ave",    "Route 9",         "County Rd 12", "Airport Rd",
                               "Harbor Dr", "Quarry Ln",       "Depot St",        "Meadow Ct"};
const char* const cities[] = {"Springfield", "Riverton",   "Fairview", "Georgetown", "Salem",
                              "Franklin",    "Clinton",    "Madison",  "Ashland",    "Oxford",
                              "Milton",      "Burlington", "Dover",    "Hudson",     "Kingston"};
const char* const company_words[] = {"Acme",       "Summit",    "Pioneer", "Evergreen", "Lakeside",
                                     "Blue Ridge", "Metro",     "Valley",  "Golden",    "Northstar",
                                     "Heritage",   "Riverbend", "Capital", "Prairie"};
const char* const company_kinds[] = {
    "Plumbing", "Dental",        "Auto Repair", "Bakery",   "Diner", "Hardware",    "Builders",    "Logistics",
    "Farms",    "Medical Group", "Properties",  "Printing", "Steel", "Landscaping", "Brewing Co.", "Market"};
const char* const company_suffixes[] = {"LLC", "Inc.", "Co.", "Ltd.", "& Sons", "Group", "Partners", ""};
const char* const municipal_names[] = {
    "City of", "Town of", "Village of", "County of", "School District of", "Water Authority of", "Parks Department,"};
const char* const personal_domains[] = {"gmail.com",  "yahoo.com",   "outlook.com", "hotmail.com", "aol.com",
                                        "icloud.com", "comcast.net", "verizon.net", "att.net",     "protonmail.com"};
const char* const malformed[] = {"",
                                 "   ",
                                 "none",
                                 "n/a",
                                 "no email",
                                 "plainaddress",
                                 "john..doe@gmail.com",
                                 ".lead@yahoo.com",
                                 "trail.@yahoo.com",
                                 "someone@localhost",
                                 "a@-bad.com",
                                 "a@bad-.com",
                                 "\"quoted\"@example.com",
                                 "two@@gmail.com",
                                 "a@b@gmail.com",
                                 "j\xC3\xB6rg@gmail.com",
                                 "info@m\xC3\xBC"
                                 "nchen.de",
                                 "name at gmail.com",
                                 "first last@gmail.com",
                                 "under@x_y.com",
                                 "short@x.c",
                                 "digits@x.c0m",
                                 "@gmail.com",
                                 "nobody@",
                                 "tab\tinside@gmail.com",
                                 "\xC2\xA0nbsp@gmail.com",
                                 "comma,name@gmail.com",
                                 "semi@gmail.com;other@gmail.com"};
const char* const pads[] = {" ", "  ", "\t", " \t", "\r\n", "\n"};

// Letters and digits only, for the local part of a made-up address.
std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
    else if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
  }
  return out.empty() ? "x" : out;
}

}  // namespace

std::uint64_t Random::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void Chunk::clear() {
  accounts.clear();
  sites.clear();
  services.clear();
  contacts.clear();
  portal_users.clear();
}

DemoDataGenerator::DemoDataGenerator(std::uint64_t seed) : rng_(seed ^ 0x5EEDDA7A5EEDDA7Aull) {
  lookups_.divisions = {
      {1, "North County Hauling", "invites@northcounty.example.com"},
      {2, "Metro Waste Services", "portal@metrowaste.example.com"},
      {3, "Valley Recycling", "no-reply@valleyrecycling.example.com"},
      {4, "Coastal Sanitation", "customercare@coastal.example.com"},
      {5, "Lakeshore Disposal", std::nullopt},  // no default sender: the screen asks for one
      {6, "Highland Roll-Off", "billing@highland.example.com"},
  };
  lookups_.account_classes = {{1, "Residential", {}}, {2, "Commercial", {}},   {3, "Industrial", {}},
                              {4, "Municipal", {}},   {5, "Multi-Family", {}}, {6, "Construction", {}}};
  lookups_.bill_groups = {{1, "Cycle 1 - Monthly", {}},   {2, "Cycle 2 - Monthly", {}},
                          {3, "Cycle 3 - Monthly", {}},   {4, "Quarterly - Jan/Apr", {}},
                          {5, "Quarterly - Feb/May", {}}, {6, "Annual", {}},
                          {7, "Commercial Weekly", {}},   {8, "Paperless", {}}};
  lookups_.account_sources = {{1, "Web Signup", {}},
                              {2, "Phone", {}},
                              {3, "Walk-in", {}},
                              {4, "Sales Rep", {}},
                              {5, "Acquisition - Metro", {}},
                              {6, "Municipal Contract", {}},
                              {7, "Realtor Referral", {}}};
  lookups_.site_sources = {{1, "Original Route", {}},   {2, "Route Audit", {}},        {3, "Acquisition", {}},
                           {4, "Customer Request", {}}, {5, "Municipal Contract", {}}, {6, "New Construction", {}}};
  recent_.reserve(recent_capacity);
}

std::string DemoDataGenerator::make_email(const std::string& first, const std::string& last) {
  const std::string f = slug(first), l = slug(last);
  const unsigned n = static_cast<unsigned>(rng_.below(10'000));
  std::string local;
  switch (rng_.below(5)) {
    case 0:
      local = f + "." + l;
      break;
    case 1:
      local = f.substr(0, 1) + l + std::to_string(n);
      break;
    case 2:
      local = f + "_" + l + std::to_string(n % 100);
      break;
    case 3:
      local = l + "." + f + std::to_string(n);
      break;
    default:
      local = f + std::to_string(n);
      break;
  }
  if (rng_.chance(0.15)) return local + "@" + slug(last) + std::string(rng_.pick(company_kinds)).substr(0, 4) + ".com";
  return local + "@" + rng_.pick(personal_domains);
}

// Mixed case and padding, as people type addresses into a billing system.
std::string DemoDataGenerator::mangle(std::string email) {
  const auto roll = rng_.below(100);
  if (roll < 8) {
    for (char& c : email)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  } else if (roll < 20) {
    bool upper = true;
    for (char& c : email) {
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      upper = c == '.' || c == '@';
    }
  }
  if (rng_.chance(0.05)) email = rng_.pick(pads) + email;
  if (rng_.chance(0.06)) email += rng_.pick(pads);
  return email;
}

void DemoDataGenerator::maybe_portal_user(const std::string& normalized, Chunk& out) {
  // Decided once per address, when first seen (a hash collision only means
  // one address fewer with a portal user, never a duplicate).
  std::uint64_t hash = 0xCBF29CE484222325ull;
  for (unsigned char c : normalized) hash = (hash ^ c) * 0x100000001B3ull;
  if (!seen_emails_.insert(hash).second) return;
  if (!rng_.chance(0.12)) return;
  PortalUserRow user{normalized, PortalStatus::invited, base_time - static_cast<std::int64_t>(rng_.below(900)) * day,
                     0};
  const auto roll = rng_.below(100);
  if (roll < 45) {
    user.status = PortalStatus::invited;
    user.last_invited_at = user.created_at + static_cast<std::int64_t>(rng_.below(60)) * day + 3600 * 9;
  } else if (roll < 90) {
    user.status = PortalStatus::active;
    user.last_invited_at = rng_.chance(0.8) ? user.created_at + 600 : 0;
  } else {
    user.status = PortalStatus::disabled;
    user.last_invited_at = rng_.chance(0.5) ? user.created_at + 600 : 0;
  }
  out.portal_users.push_back(std::move(user));
}

void DemoDataGenerator::next_chunk(std::size_t count, Chunk& out) {
  out.clear();
  for (std::size_t i = 0; i < count; ++i) {
    AccountRow account{};
    account.id = next_account_++;
    account.number = std::to_string(100'000'000u + account.id);
    // Divisions of different sizes; the one without a sender is small.
    const auto division_roll = rng_.below(100);
    account.division_id = division_roll < 30   ? 1
                          : division_roll < 55 ? 2
                          : division_roll < 72 ? 3
                          : division_roll < 87 ? 4
                          : division_roll < 92 ? 5
                                               : 6;
    const auto class_roll = rng_.below(100);
    account.account_class_id = class_roll < 68   ? 1
                               : class_roll < 86 ? 2
                               : class_roll < 91 ? 3
                               : class_roll < 94 ? 4
                               : class_roll < 97 ? 5
                               : class_roll < 99 ? 6
                                                 : 0;
    account.bill_group_id = rng_.chance(0.04) ? 0 : static_cast<std::uint32_t>(1 + rng_.below(8));
    account.account_source_id = rng_.chance(0.15) ? 0 : static_cast<std::uint32_t>(1 + rng_.below(7));
    const auto balance_roll = rng_.below(100);
    account.balance_cents = balance_roll < 35   ? static_cast<std::int64_t>(500 + rng_.below(60'000))
                            : balance_roll < 45 ? -static_cast<std::int64_t>(100 + rng_.below(20'000))
                                                : 0;
    account.autopay = rng_.chance(0.3);

    const std::string owner_first = rng_.pick(first_names);
    const std::string owner_last = rng_.pick(last_names);
    switch (account.account_class_id) {
      case 1:
      case 0:
        account.name = rng_.chance(0.5) ? owner_last + ", " + owner_first : owner_first + " " + owner_last;
        break;
      case 4:
        account.name = std::string(rng_.pick(municipal_names)) + " " + rng_.pick(cities);
        break;
      case 5:
        account.name = std::string(rng_.pick(company_words)) + " Apartments";
        break;
      default: {
        std::string name = rng_.chance(0.5) ? owner_last + "'s " : std::string(rng_.pick(company_words)) + " ";
        name += rng_.pick(company_kinds);
        const std::string suffix = rng_.pick(company_suffixes);
        if (!suffix.empty()) name += (suffix == "LLC" || suffix == "Inc." ? ", " : " ") + suffix;
        if (rng_.chance(0.01)) name = "\"" + name + "\"";
        account.name = std::move(name);
      }
    }

    // 1-3 sites, each with 1-3 services; closed accounts have only inactive ones.
    const bool closed = rng_.chance(0.12);
    const auto sites = 1 + (rng_.chance(0.25) ? 1 + rng_.below(2) : 0);
    for (std::uint64_t s = 0; s < sites; ++s) {
      SiteRow site{next_site_++, account.id, rng_.chance(0.1) ? 0u : static_cast<std::uint32_t>(1 + rng_.below(6)), {}};
      char address[160];
      std::snprintf(address, sizeof address, "%u %s, %s", static_cast<unsigned>(10 + rng_.below(9990)),
                    rng_.pick(streets), rng_.pick(cities));
      site.address = address;
      const auto services = 1 + rng_.below(3);
      for (std::uint64_t v = 0; v < services; ++v) {
        out.services.push_back({next_service_++, site.id, !closed && rng_.chance(0.85)});
      }
      out.sites.push_back(std::move(site));
    }

    // 1-3 contacts; the first is usually the billing contact.
    const auto contacts = 1 + (rng_.chance(0.6) ? 1 + rng_.below(2) : 0);
    std::string first_address;
    for (std::uint64_t c = 0; c < contacts; ++c) {
      ContactRow contact{next_contact_++, account.id, {}, {}, std::nullopt, false};
      contact.first_name = c == 0 ? owner_first : rng_.pick(first_names);
      contact.last_name = c == 0 || rng_.chance(0.5) ? owner_last : rng_.pick(last_names);
      if (rng_.chance(0.01)) contact.first_name.clear();
      contact.is_billing = c == 0 ? rng_.chance(0.9) : rng_.chance(0.2);
      const auto roll = rng_.below(1000);
      if (roll < 50) {
        contact.email = std::nullopt;  // missing
      } else if (roll < 85) {
        contact.email = rng_.pick(malformed);
      } else if (roll < 165 && !recent_.empty()) {
        // An address already used on another account (a landlord, a property
        // manager, a family member), typed again, maybe differently.
        contact.email = mangle(recent_[rng_.below(recent_.size())]);
      } else if (roll < 185 && !first_address.empty()) {
        contact.email = mangle(first_address);  // the same address twice on one account
      } else {
        contact.email = mangle(make_email(contact.first_name, contact.last_name));
      }
      if (contact.email) {
        const std::string normalized = normalize_email(*contact.email);
        if (is_valid_email(normalized)) {
          if (first_address.empty()) first_address = normalized;
          if (recent_.size() < recent_capacity) {
            recent_.push_back(normalized);
          } else if (rng_.chance(0.2)) {
            recent_[recent_at_] = normalized;
            recent_at_ = (recent_at_ + 1) % recent_capacity;
          }
          maybe_portal_user(normalized, out);
        }
      }
      out.contacts.push_back(std::move(contact));
    }
    out.accounts.push_back(std::move(account));
  }
}

}  // namespace invites::seed
