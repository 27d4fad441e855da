#pragma once
// The SQL that reads the billing tables into the in-memory snapshot. All of
// it is fixed text (values only ever bound); a build runs it inside one
// read-only transaction with a consistent snapshot, so the rows agree.
namespace invites::repository::snapshot_sql {

inline constexpr const char* begin_consistent_read = "START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT";

// Accounts and contacts come in primary key order (free for InnoDB), which
// lets the builder append them without sorting. NULL lookups become 0 (the snapshot's NULL); the balance and flag tests
// are the same expressions as in common/src/sql_filter.cpp.
inline constexpr const char* accounts =
    "SELECT id, division_id, COALESCE(account_class_id, 0), COALESCE(bill_group_id, 0),"
    " COALESCE(account_source_id, 0), balance > 0, autopay <> 0, account_number, name"
    " FROM accounts ORDER BY id";

// Accounts with at least one active service on any of their sites.
inline constexpr const char* accounts_with_active_service =
    "SELECT DISTINCT s.account_id FROM sites s JOIN services v ON v.site_id = s.id WHERE v.active <> 0";

inline constexpr const char* account_site_sources =
    "SELECT DISTINCT account_id, site_source_id FROM sites WHERE site_source_id IS NOT NULL";

inline constexpr const char* contacts =
    "SELECT id, account_id, email, first_name, last_name, is_billing <> 0 FROM contacts ORDER BY id";

inline constexpr const char* portal_users =
    "SELECT email, status, COALESCE(UNIX_TIMESTAMP(last_invited_at), 0) FROM portal_users";

// The same columns for the rows changed since a unix second (the one
// parameter): how a snapshot takes in the tool's own writes between builds.
inline constexpr const char* portal_users_changed_since =
    "SELECT email, status, COALESCE(UNIX_TIMESTAMP(last_invited_at), 0) FROM portal_users"
    " WHERE updated_at >= FROM_UNIXTIME(?)";

// Addresses suppressed by bounces or complaints (docs/design.md §11), not lifted.
inline constexpr const char* suppressed_addresses = "SELECT email FROM address_suppressions WHERE lifted_at IS NULL";
// Suppressions made or lifted since a unix second (the one parameter): the
// address and whether it is suppressed now.
inline constexpr const char* suppressions_changed_since =
    "SELECT email, lifted_at IS NULL FROM address_suppressions WHERE updated_at >= FROM_UNIXTIME(?)";

}  // namespace invites::repository::snapshot_sql
