#pragma once
// The columnar in-memory snapshot of contacts with their account attributes
// (docs/design.md §2, §7): built from MySQL by the server, sent to browsers in the
// compact binary form of snapshot_codec.hpp, evaluated by evaluator.hpp.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "invites/filter.hpp"
#include "invites/recipients.hpp"
#include "invites/string_column.hpp"

namespace invites {

inline constexpr std::uint32_t no_email = 0xFFFFFFFFu;  // contact_email value for a NULL address

namespace account_flag {
inline constexpr std::uint8_t balance_due = 1;  // balance > 0
inline constexpr std::uint8_t autopay = 2;
inline constexpr std::uint8_t has_active_service = 4;  // at least one active service on any site
}  // namespace account_flag

struct Snapshot {
  std::int64_t generated_at = 0;  // unix seconds of the data

  // Accounts, ascending id. Lookup ids use 0 for NULL.
  std::vector<Id> account_id;
  std::vector<Id> account_division;
  std::vector<Id> account_class;
  std::vector<Id> account_bill_group;
  std::vector<Id> account_source;
  std::vector<std::uint8_t> account_flags;  // account_flag bits
  // Distinct site sources per account (CSR): ids of account a are
  // site_source_ids[site_source_begin[a] .. site_source_begin[a+1]).
  std::vector<std::uint32_t> site_source_begin{0};
  std::vector<Id> site_source_ids;
  StringColumn account_number;
  StringColumn account_name;

  // Contacts, ascending id.
  std::vector<Id> contact_id;
  std::vector<std::uint32_t> contact_account;  // index into the account columns
  std::vector<std::uint32_t> contact_email;    // index into the email columns, or no_email
  std::vector<std::uint8_t> contact_is_billing;
  StringColumn contact_first_name;
  StringColumn contact_last_name;

  // Distinct normalized addresses of contacts, sorted bytewise, with the
  // portal user of the same address.
  StringColumn email;
  std::vector<PortalStatus> email_status;
  std::vector<std::int64_t> email_last_invited_at;  // unix seconds, 0 = never
  std::vector<std::uint8_t> email_suppressed;       // 1: bounced or complained (docs/design.md §11)
  // Derived on build and decode, not encoded:
  std::vector<std::uint8_t> email_valid;  // the §2.3 rule per address
  // Contacts with a NULL or invalid address, ascending: the only ones a filter
  // can skip, so the evaluator counts skipped contacts without a contact pass.
  std::vector<std::uint32_t> contacts_without_valid_email;
  // The contacts of each address, ascending id (CSR): contacts of address e
  // are email_contacts[email_contacts_begin[e] .. email_contacts_begin[e+1]).
  // The evaluator walks addresses in order through it, which keeps its memory
  // access sequential.
  std::vector<std::uint32_t> email_contacts_begin{0};
  std::vector<std::uint32_t> email_contacts;
  // Per entry of email_contacts: (account index << 1) | is_billing of that
  // contact, all that a filter asks of a contact, laid out in address order
  // so the evaluator reads it sequentially instead of looking up contacts.
  std::vector<std::uint32_t> email_contact_account_billing;

  std::size_t account_count() const { return account_id.size(); }
  std::size_t contact_count() const { return contact_id.size(); }
  std::size_t email_count() const { return email.size(); }
  std::optional<std::uint32_t> find_email(std::string_view normalized) const;  // binary search
  std::optional<std::uint32_t> find_contact(Id id) const;

  // Recomputes the derived columns from the encoded ones.
  void derive_indexes();
  // The same without email_valid (decode reads it from the file).
  void derive_contact_indexes();
  bool operator==(const Snapshot&) const = default;
};

// The portal side of each address (status, last invitation and suppression,
// indexed like Snapshot::email): the snapshot's own columns, or newer ones a
// server keeps beside an unchanged snapshot, so that applying portal-user
// and suppression changes copies ~10 bytes per address instead of the whole
// snapshot.
struct PortalColumns {
  std::span<const PortalStatus> status;
  std::span<const std::int64_t> last_invited_at;
  std::span<const std::uint8_t> suppressed;
};
PortalColumns portal_columns(const Snapshot& snapshot);

// Rows as the billing database holds them; the builder applies the §2 rules
// (normalization) once, sorts, and indexes.
struct AccountRecord {
  Id id = 0;
  Id division_id = 0, account_class_id = 0, bill_group_id = 0, account_source_id = 0;  // 0 = NULL
  bool balance_due = false, autopay = false, has_active_service = false;
  std::vector<Id> site_source_ids;  // any order, duplicates allowed
  std::string account_number, name;
};
// A contact row whose text is Text: owned (ContactRecord) or borrowed (ContactRowRef).
template <typename Text>
struct ContactRow {
  Id id = 0;
  Id account_id = 0;
  std::optional<Text> email;  // raw as typed, nullopt = NULL
  Text first_name, last_name;
  bool is_billing = false;
};
using ContactRecord = ContactRow<std::string>;
struct PortalUserRecord {
  std::string email;  // as stored in portal_users (normalized)
  PortalStatus status = PortalStatus::invited;
  std::int64_t last_invited_at = 0;
};

// The same rows borrowed for one call: the loader's lean path, which appends
// them straight into columns without building a record per row.
struct AccountRowRef {
  Id id = 0;
  Id division_id = 0, account_class_id = 0, bill_group_id = 0, account_source_id = 0;  // 0 = NULL
  bool balance_due = false, autopay = false, has_active_service = false;
  std::string_view account_number, name;
};
using ContactRowRef = ContactRow<std::string_view>;

// Appends rows into columnar storage as they arrive (addresses normalized on
// the fly into one buffer) and indexes them in build(). Rows may come in any
// order; ascending ids (the loader reads `ORDER BY id`) take a path that
// neither sorts nor copies the columns.
class SnapshotBuilder {
 public:
  SnapshotBuilder();
  void add_account(const AccountRecord& account);
  // `site_source_ids`: any order, duplicates and 0 allowed.
  void append_account(const AccountRowRef& account, std::span<const Id> site_source_ids);
  void add_contact(const ContactRecord& contact);
  void append_contact(const ContactRowRef& contact);
  void add_portal_user(const PortalUserRecord& user);
  void append_portal_user(std::string_view email, PortalStatus status, std::int64_t last_invited_at);
  // A suppressed address (normalized, as address_suppressions holds it).
  void append_suppression(std::string_view email);
  // Orders and checks the accounts and contacts and makes the sorted address
  // column (build() does it when nobody did). Called once the last contact is
  // in, it lets portal users and suppressions appended afterwards be applied
  // at once instead of being held until build(), after the per-contact
  // addresses are freed: a lower build peak (docs/design.md §8).
  // Accounts and contacts can no longer be added after it (std::logic_error).
  // Throws ValidationError for a contact of an unknown account or duplicate ids.
  void index_contacts();
  // Throws ValidationError as index_contacts().
  Snapshot build(std::int64_t generated_at) &&;

 private:
  void sort_accounts();
  void sort_contacts();
  void check_open() const;

  // Account and contact columns in arrival order; contact_account holds
  // account ids and contact_email 0 (an address) or no_email until build().
  Snapshot snapshot_;
  bool accounts_sorted_ = true, contacts_sorted_ = true, contacts_indexed_ = false;
  // Normalized address of each contact in arrival order (empty for NULL).
  StringColumn normalized_;
  // Portal users and suppressions that came before index_contacts().
  StringColumn portal_email_;
  std::vector<PortalStatus> portal_status_;
  std::vector<std::int64_t> portal_last_invited_at_;
  StringColumn suppressed_email_;
};

}  // namespace invites
