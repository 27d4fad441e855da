#pragma once
// Names coded against each other (snapshot format 5; private to common/).
// In billing data a residential account is named after its holder, who is its
// first contact, and the other contacts of an account are often family with
// the same last name. Both sections code only what these do not predict:
//
//   account_name:      varint n | varint predicted | (predicted > 0: n kind
//                      bytes: name_literal, name_last_comma_first "Last, First"
//                      or name_first_space_last "First Last" of the account's
//                      first contact) | the literal names (snapshot_text.hpp)
//   contact_last_name: varint n | varint shared | (shared > 0: a bit per
//                      contact, LSB first, set when its last name is its
//                      account's first contact's; varint their total bytes) |
//                      the other last names (snapshot_text.hpp)
//
// An account's first contact is its contact with the lowest id. The marks are
// left out when few rows would use them: then they cost more than they save.
#include <cstdint>
#include <span>
#include <vector>

#include "invites/snapshot.hpp"
#include "snapshot_bytes.hpp"

namespace invites::snapshot_names {

inline constexpr std::uint32_t no_contact = 0xFFFFFFFFu;

// Per account, the index of its first contact, or no_contact.
std::vector<std::uint32_t> first_contacts(std::span<const std::uint32_t> contact_account, std::size_t accounts);

// `first`: first_contacts() of the snapshot.
void write_account_names(snapshot_bytes::Writer& w, const Snapshot& s, std::span<const std::uint32_t> first);
void write_last_names(snapshot_bytes::Writer& w, const Snapshot& s, std::span<const std::uint32_t> first);

// Read back with the contacts' names decoded already (a SnapshotFormatError
// names a malformed mark, or one that refers to a contact that is not there).
StringColumn read_account_names(snapshot_bytes::Reader& r, const Snapshot& s, std::span<const std::uint32_t> first);
StringColumn read_last_names(snapshot_bytes::Reader& r, std::span<const std::uint32_t> contact_account,
                             std::span<const std::uint32_t> first);

}  // namespace invites::snapshot_names
