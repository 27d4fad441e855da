#include "invites/snapshot_delta.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "invites/email.hpp"
#include "invites/error.hpp"
#include "invites/snapshot_codec.hpp"
#include "snapshot_bytes.hpp"

namespace invites {
namespace {

// The header of snapshot_delta.hpp: magic, version, two digests, payload length and checksum.
constexpr char delta_magic[8] = {'B', 'P', 'I', 'D', 'E', 'L', 'T', '1'};
constexpr std::size_t delta_header_size = 8 + 4 + 8 + 8 + 8 + 8;
constexpr std::uint32_t gone = std::numeric_limits<std::uint32_t>::max();  // a row or address the result drops
constexpr std::uint8_t suppressed_bit = 0x40;  // in a portal entry's status byte, as in the snapshot's

using snapshot_bytes::Reader;
using snapshot_bytes::Writer;

std::string hex(std::uint64_t digest) {
  char text[24];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(digest));
  return text;
}

std::uint8_t packed_portal(const PortalColumns& portal, std::size_t i) {
  return static_cast<std::uint8_t>(static_cast<std::uint8_t>(portal.status[i]) |
                                   (portal.suppressed[i] ? suppressed_bit : 0));
}

// ---------------------------------------------------------------- encoding

void write_string(Writer& w, std::string_view text) {
  w.varint(text.size());
  w.bytes(text.data(), text.size());
}

// Ascending, distinct values as gaps: each minus one more than the previous.
void write_ascending(Writer& w, const std::vector<std::uint64_t>& values) {
  w.varint(values.size());
  std::uint64_t next = 0;
  for (const auto value : values) {
    w.varint(value - next);
    next = value + 1;
  }
}

// Walks two ascending id columns together: visit(old index, new index), with
// `gone` on the side that lacks the id.
template <typename Visit>
void merge_ids(const std::vector<Id>& older, const std::vector<Id>& newer, Visit&& visit) {
  std::size_t i = 0, j = 0;
  while (i < older.size() || j < newer.size()) {
    if (j == newer.size() || (i < older.size() && older[i] < newer[j])) {
      visit(static_cast<std::uint32_t>(i++), gone);
    } else if (i == older.size() || newer[j] < older[i]) {
      visit(gone, static_cast<std::uint32_t>(j++));
    } else {
      visit(static_cast<std::uint32_t>(i++), static_cast<std::uint32_t>(j++));
    }
  }
}

std::span<const Id> sites_of(const Snapshot& s, std::size_t a) {
  return std::span(s.site_source_ids)
      .subspan(s.site_source_begin[a], s.site_source_begin[a + 1] - s.site_source_begin[a]);
}

bool same_account(const Snapshot& a, std::size_t i, const Snapshot& b, std::size_t j) {
  const auto sites_a = sites_of(a, i), sites_b = sites_of(b, j);
  return a.account_division[i] == b.account_division[j] && a.account_class[i] == b.account_class[j] &&
         a.account_bill_group[i] == b.account_bill_group[j] && a.account_source[i] == b.account_source[j] &&
         a.account_flags[i] == b.account_flags[j] &&
         std::equal(sites_a.begin(), sites_a.end(), sites_b.begin(), sites_b.end()) &&
         a.account_number[i] == b.account_number[j] && a.account_name[i] == b.account_name[j];
}

void write_account(Writer& w, const Snapshot& s, std::size_t a) {
  w.varint(s.account_division[a]);
  w.varint(s.account_class[a]);
  w.varint(s.account_bill_group[a]);
  w.varint(s.account_source[a]);
  w.varint(s.account_flags[a]);
  const auto sites = sites_of(s, a);
  w.varint(sites.size());
  for (const Id site : sites) w.varint(site);
  write_string(w, s.account_number[a]);
  write_string(w, s.account_name[a]);
}

bool same_contact(const Snapshot& a, std::size_t i, const Snapshot& b, std::size_t j) {
  const std::uint32_t email_a = a.contact_email[i], email_b = b.contact_email[j];
  const bool same_email =
      (email_a == no_email || email_b == no_email) ? email_a == email_b : a.email[email_a] == b.email[email_b];
  return same_email && a.account_id[a.contact_account[i]] == b.account_id[b.contact_account[j]] &&
         a.contact_is_billing[i] == b.contact_is_billing[j] && a.contact_first_name[i] == b.contact_first_name[j] &&
         a.contact_last_name[i] == b.contact_last_name[j];
}

void write_contact(Writer& w, const Snapshot& s, std::size_t c) {
  w.varint(s.account_id[s.contact_account[c]]);
  w.varint(s.contact_email[c] == no_email ? 0 : std::uint64_t{s.contact_email[c]} + 1);
  w.varint(s.contact_is_billing[c]);
  write_string(w, s.contact_first_name[c]);
  write_string(w, s.contact_last_name[c]);
}

// The removed ids, then the rows added or changed (id gap, then the row) of
// one table; false as soon as the delta grows past `limit` bytes.
template <typename Same, typename WriteRow>
bool write_rows(Writer& w, std::size_t limit, const std::vector<Id>& older_ids, const std::vector<Id>& newer_ids,
                Same&& same, WriteRow&& write_row) {
  std::vector<std::uint64_t> removed;
  std::vector<std::uint32_t> upserted;
  merge_ids(older_ids, newer_ids, [&](std::uint32_t i, std::uint32_t j) {
    if (j == gone)
      removed.push_back(older_ids[i]);
    else if (i == gone || !same(i, j))
      upserted.push_back(j);
  });
  write_ascending(w, removed);
  w.varint(upserted.size());
  std::uint64_t next = 0;
  for (const auto j : upserted) {
    if (w.size() > limit) return false;
    w.varint(newer_ids[j] - next);
    next = std::uint64_t{newer_ids[j]} + 1;
    write_row(j);
  }
  return w.size() <= limit;
}

void write_portal_entry(Writer& w, const PortalColumns& portal, std::uint32_t position, std::uint64_t& next) {
  w.varint(position - next);
  next = std::uint64_t{position} + 1;
  w.varint(packed_portal(portal, position));
  w.varint(static_cast<std::uint64_t>(std::max<std::int64_t>(portal.last_invited_at[position], 0)));
}

// Empty row and address sections: a delta of portal entries only.
void write_no_rows(Writer& w) {
  for (int list = 0; list < 6; ++list) w.varint(0);
}

// ---------------------------------------------------------------- applying

std::string read_string(Reader& r) {
  const std::size_t size = r.count(1);
  const auto bytes = r.take(size);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::uint32_t read_u32(Reader& r, const char* what) {
  const std::uint64_t value = r.varint();
  if (value > 0xFFFFFFFFull) r.fail(std::string(what) + " out of range");
  return static_cast<std::uint32_t>(value);
}

// write_ascending's values; each item takes at least one byte.
std::vector<std::uint32_t> read_ascending(Reader& r, const char* what) {
  std::vector<std::uint32_t> values(r.count(1));
  std::uint64_t next = 0;
  for (auto& value : values) {
    const std::uint64_t v = next + r.varint();
    if (v > 0xFFFFFFFEull) r.fail(std::string(what) + " out of range");
    value = static_cast<std::uint32_t>(v);
    next = v + 1;
  }
  return values;
}

// Reads a table's upserted rows: `read_row(id)` reads the rest of each.
template <typename ReadRow>
void read_rows(Reader& r, std::size_t min_row_bytes, const char* what, ReadRow&& read_row) {
  const std::size_t count = r.count(min_row_bytes);
  std::uint64_t next = 0;
  for (std::size_t n = 0; n < count; ++n) {
    const std::uint64_t id = next + r.varint();
    if (id == 0 || id > 0xFFFFFFFFull) r.fail(std::string(what) + " id out of range");
    next = id + 1;
    read_row(static_cast<Id>(id));
  }
}

void read_account(Reader& r, Snapshot& to, Id id) {
  to.account_id.push_back(id);
  to.account_division.push_back(read_u32(r, "division id"));
  to.account_class.push_back(read_u32(r, "account class id"));
  to.account_bill_group.push_back(read_u32(r, "bill group id"));
  to.account_source.push_back(read_u32(r, "account source id"));
  const std::uint64_t flags = r.varint();
  if (flags > (account_flag::balance_due | account_flag::autopay | account_flag::has_active_service))
    r.fail("account flags " + std::to_string(flags) + " out of range");
  to.account_flags.push_back(static_cast<std::uint8_t>(flags));
  const std::size_t sites = r.count(1);
  for (std::size_t s = 0; s < sites; ++s) to.site_source_ids.push_back(read_u32(r, "site source id"));
  to.site_source_begin.push_back(static_cast<std::uint32_t>(to.site_source_ids.size()));
  to.account_number.push_back(read_string(r));
  to.account_name.push_back(read_string(r));
}

void read_contact(Reader& r, Snapshot& to, Id id) {
  to.contact_id.push_back(id);
  to.contact_account.push_back(read_u32(r, "contact's account id"));
  to.contact_email.push_back(read_u32(r, "contact's address"));
  const std::uint64_t billing = r.varint();
  if (billing > 1) r.fail("contact billing flag out of range");
  to.contact_is_billing.push_back(static_cast<std::uint8_t>(billing));
  to.contact_first_name.push_back(read_string(r));
  to.contact_last_name.push_back(read_string(r));
}

void copy_account(const Snapshot& from, std::size_t a, Snapshot& to) {
  to.account_id.push_back(from.account_id[a]);
  to.account_division.push_back(from.account_division[a]);
  to.account_class.push_back(from.account_class[a]);
  to.account_bill_group.push_back(from.account_bill_group[a]);
  to.account_source.push_back(from.account_source[a]);
  to.account_flags.push_back(from.account_flags[a]);
  const auto sites = sites_of(from, a);
  to.site_source_ids.insert(to.site_source_ids.end(), sites.begin(), sites.end());
  to.site_source_begin.push_back(static_cast<std::uint32_t>(to.site_source_ids.size()));
  to.account_number.push_back(from.account_number[a]);
  to.account_name.push_back(from.account_name[a]);
}

void copy_contact_text(const Snapshot& from, std::size_t c, Snapshot& to) {
  to.contact_id.push_back(from.contact_id[c]);
  to.contact_is_billing.push_back(from.contact_is_billing[c]);
  to.contact_first_name.push_back(from.contact_first_name[c]);
  to.contact_last_name.push_back(from.contact_last_name[c]);
}

// Merges a table: the base's rows (minus `removed`, replaced by upserts of
// the same id) with the upserts, by ascending id. keep(i) copies base row i,
// take(j) upsert j; both return the row's position in the result. Returns
// the base's rows' positions in the result (`gone` for removed ones).
template <typename Keep, typename Take>
std::vector<std::uint32_t> merge_rows(Reader& r, const char* what, const std::vector<Id>& base_ids,
                                      const std::vector<std::uint32_t>& removed, const std::vector<Id>& upsert_ids,
                                      Keep&& keep, Take&& take) {
  std::vector<std::uint32_t> position(base_ids.size(), gone);
  std::size_t k = 0;
  merge_ids(base_ids, upsert_ids, [&](std::uint32_t i, std::uint32_t j) {
    const Id id = i != gone ? base_ids[i] : upsert_ids[j];
    if (k < removed.size() && removed[k] < id)
      r.fail(std::string("removes ") + what + " " + std::to_string(removed[k]) + ", which the copy does not have");
    const bool removing = k < removed.size() && removed[k] == id;
    if (removing) {
      if (i == gone || j != gone) r.fail(std::string("both removes and changes ") + what + " " + std::to_string(id));
      ++k;
      return;
    }
    const std::uint32_t at = j != gone ? take(j) : keep(i);
    if (i != gone) position[i] = at;
  });
  if (k < removed.size())
    r.fail(std::string("removes ") + what + " " + std::to_string(removed[k]) + ", which the copy does not have");
  return position;
}

Snapshot apply_payload(const Snapshot& base, Reader& r) {
  Snapshot s;
  const std::uint64_t generated_at = r.varint();
  s.generated_at = static_cast<std::int64_t>(generated_at);

  const auto removed_accounts = read_ascending(r, "removed account id");
  // The rows added or changed, in snapshot columns; contact_account holds
  // account ids, contact_email address codes (0 = none, else position + 1).
  Snapshot upserts;
  read_rows(r, 9, "account", [&](Id id) { read_account(r, upserts, id); });
  const auto removed_contacts = read_ascending(r, "removed contact id");
  read_rows(r, 6, "contact", [&](Id id) { read_contact(r, upserts, id); });
  const auto removed_emails = read_ascending(r, "removed address position");
  const std::size_t added_count = r.count(1);
  StringColumn added;
  for (std::size_t n = 0; n < added_count; ++n) {
    added.push_back(read_string(r));
    if (n > 0 && !(added[n - 1] < added[n])) r.fail("added addresses are not sorted and distinct");
  }

  // Accounts.
  s.account_id.reserve(base.account_count() + upserts.account_count());
  const auto account_position = merge_rows(
      r, "account", base.account_id, removed_accounts, upserts.account_id,
      [&](std::uint32_t i) {
        copy_account(base, i, s);
        return static_cast<std::uint32_t>(s.account_count() - 1);
      },
      [&](std::uint32_t j) {
        copy_account(upserts, j, s);
        return static_cast<std::uint32_t>(s.account_count() - 1);
      });

  // Addresses: the base's minus the removed ones, merged with the added ones.
  if (!removed_emails.empty() && removed_emails.back() >= base.email_count())
    r.fail("removes address position " + std::to_string(removed_emails.back()) + " of " +
           std::to_string(base.email_count()));
  const PortalColumns base_portal = portal_columns(base);
  std::vector<std::uint32_t> email_position(base.email_count(), gone);
  {
    std::size_t i = 0, j = 0, k = 0;
    while (i < base.email_count() || j < added.size()) {
      if (i < base.email_count() && k < removed_emails.size() && removed_emails[k] == i) {
        ++i, ++k;
        continue;
      }
      const bool from_base = j == added.size() || (i < base.email_count() && base.email[i] < added[j]);
      if (!from_base && i < base.email_count() && base.email[i] == added[j])
        r.fail("adds the address at position " + std::to_string(j) + ", which the copy already has");
      if (from_base) {
        email_position[i] = static_cast<std::uint32_t>(s.email_count());
        s.email.push_back(base.email[i]);
        s.email_valid.push_back(base.email_valid[i]);
        s.email_status.push_back(base_portal.status[i]);
        s.email_last_invited_at.push_back(base_portal.last_invited_at[i]);
        s.email_suppressed.push_back(base_portal.suppressed[i]);
        ++i;
      } else {
        s.email.push_back(added[j]);
        s.email_valid.push_back(is_valid_email(added[j]) ? 1 : 0);
        s.email_status.push_back(PortalStatus::none);
        s.email_last_invited_at.push_back(0);
        s.email_suppressed.push_back(0);
        ++j;
      }
    }
  }
  {
    const std::size_t entries = r.count(3);
    std::uint64_t next = 0;
    for (std::size_t n = 0; n < entries; ++n) {
      const std::uint64_t position = next + r.varint();
      if (position >= s.email_count())
        r.fail("portal entry for address position " + std::to_string(position) + " of " +
               std::to_string(s.email_count()));
      next = position + 1;
      const std::uint64_t packed = r.varint();
      const std::uint64_t status = packed & ~std::uint64_t{suppressed_bit};
      if (status > static_cast<std::uint8_t>(PortalStatus::disabled)) r.fail("unknown portal status");
      const std::uint64_t invited = r.varint();
      if (invited > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        r.fail("malformed invitation time");
      s.email_status[position] = static_cast<PortalStatus>(status);
      s.email_suppressed[position] = (packed & suppressed_bit) ? 1 : 0;
      s.email_last_invited_at[position] = static_cast<std::int64_t>(invited);
    }
  }
  r.expect_end();

  // Contacts, pointing at the result's accounts and addresses.
  s.contact_id.reserve(base.contact_count() + upserts.contact_count());
  merge_rows(
      r, "contact", base.contact_id, removed_contacts, upserts.contact_id,
      [&](std::uint32_t i) {
        const std::uint32_t account = account_position[base.contact_account[i]];
        const std::uint32_t email = base.contact_email[i];
        const std::uint32_t new_email = email == no_email ? no_email : email_position[email];
        if (account == gone || (email != no_email && new_email == gone))
          r.fail("keeps contact " + std::to_string(base.contact_id[i]) + " but drops its account or address");
        copy_contact_text(base, i, s);
        s.contact_account.push_back(account);
        s.contact_email.push_back(new_email);
        return static_cast<std::uint32_t>(s.contact_count() - 1);
      },
      [&](std::uint32_t j) {
        const auto found = std::lower_bound(s.account_id.begin(), s.account_id.end(), upserts.contact_account[j]);
        if (found == s.account_id.end() || *found != upserts.contact_account[j])
          r.fail("contact " + std::to_string(upserts.contact_id[j]) + " names account " +
                 std::to_string(upserts.contact_account[j]) + ", which the result does not have");
        const std::uint32_t code = upserts.contact_email[j];
        if (code > s.email_count())
          r.fail("contact " + std::to_string(upserts.contact_id[j]) + " names address position " +
                 std::to_string(code - 1) + " of " + std::to_string(s.email_count()));
        copy_contact_text(upserts, j, s);
        s.contact_account.push_back(static_cast<std::uint32_t>(found - s.account_id.begin()));
        s.contact_email.push_back(code == 0 ? no_email : code - 1);
        return static_cast<std::uint32_t>(s.contact_count() - 1);
      });
  s.derive_contact_indexes();
  return s;
}

}  // namespace

std::string SnapshotDelta::encode(const SnapshotVersion& older, const SnapshotVersion& newer) {
  return *encode_within(older, newer, std::numeric_limits<std::size_t>::max());
}

std::optional<std::string> SnapshotDelta::encode_within(const SnapshotVersion& older, const SnapshotVersion& newer,
                                                        std::size_t limit) {
  auto payload = payload_within(older, newer.snapshot, newer.portal, limit);
  if (!payload) return std::nullopt;
  return seal(*payload, older.digest, newer.digest);
}

std::optional<std::string> SnapshotDelta::payload_within(const SnapshotVersion& older, const Snapshot& b,
                                                         const PortalColumns& newer_portal, std::size_t limit) {
  const Snapshot& a = older.snapshot;
  Writer w;
  w.varint(static_cast<std::uint64_t>(b.generated_at));
  if (!write_rows(
          w, limit, a.account_id, b.account_id,
          [&](std::uint32_t i, std::uint32_t j) { return same_account(a, i, b, j); },
          [&](std::uint32_t j) { write_account(w, b, j); }) ||
      !write_rows(
          w, limit, a.contact_id, b.contact_id,
          [&](std::uint32_t i, std::uint32_t j) { return same_contact(a, i, b, j); },
          [&](std::uint32_t j) { write_contact(w, b, j); }))
    return std::nullopt;

  // Addresses by their text (both columns are sorted), and the portal
  // entries of the result that are new or differ.
  std::vector<std::uint64_t> removed;
  std::vector<std::uint32_t> added, portal_changed;
  std::size_t i = 0, j = 0;
  while (i < a.email_count() || j < b.email_count()) {
    if (j == b.email_count() || (i < a.email_count() && a.email[i] < b.email[j])) {
      removed.push_back(i++);
      continue;
    }
    const bool kept = i < a.email_count() && a.email[i] == b.email[j];
    const bool same_portal = kept ? packed_portal(older.portal, i) == packed_portal(newer_portal, j) &&
                                        older.portal.last_invited_at[i] == newer_portal.last_invited_at[j]
                                  : packed_portal(newer_portal, j) == 0 && newer_portal.last_invited_at[j] == 0;
    if (!kept) added.push_back(static_cast<std::uint32_t>(j));
    if (!same_portal) portal_changed.push_back(static_cast<std::uint32_t>(j));
    if (kept) ++i;
    ++j;
  }
  write_ascending(w, removed);
  w.varint(added.size());
  for (const auto position : added) write_string(w, b.email[position]);
  w.varint(portal_changed.size());
  std::uint64_t next = 0;
  for (const auto position : portal_changed) write_portal_entry(w, newer_portal, position, next);
  if (w.size() > limit) return std::nullopt;
  return std::move(w.str());
}

std::string SnapshotDelta::seal(std::string_view payload, std::uint64_t base_digest, std::uint64_t result_digest) {
  Writer header;
  header.bytes(delta_magic, sizeof delta_magic);
  header.u32(snapshot_format_version);
  header.u64(base_digest);
  header.u64(result_digest);
  header.u64(payload.size());
  header.u64(XXH3_64bits(payload.data(), payload.size()));
  std::string sealed = std::move(header.str());
  sealed.append(payload);
  return sealed;
}

std::string SnapshotDelta::encode_portal(const Snapshot& snapshot, const PortalColumns& newer,
                                         std::span<const std::uint32_t> changed, std::uint64_t base_digest,
                                         std::uint64_t result_digest) {
  Writer w;
  w.varint(static_cast<std::uint64_t>(snapshot.generated_at));
  write_no_rows(w);
  w.varint(changed.size());
  std::uint64_t next = 0;
  for (const auto position : changed) {
    if (position < next || position >= snapshot.email_count())
      throw std::invalid_argument("snapshot delta: portal positions must ascend within the addresses");
    write_portal_entry(w, newer, position, next);
  }
  return seal(w.str(), base_digest, result_digest);
}

Snapshot SnapshotDelta::apply(const Snapshot& base, std::span<const std::uint8_t> deltas) {
  Reader file(deltas, "delta");
  if (deltas.empty()) file.fail("empty: no delta to apply");
  std::uint64_t expected_base = SnapshotCodec::layout(base, portal_columns(base)).digest;
  Snapshot result;
  const Snapshot* from = &base;
  while (file.remaining() > 0) {
    file.need(delta_header_size);
    const auto magic = file.take(sizeof delta_magic);
    if (std::memcmp(magic.data(), delta_magic, sizeof delta_magic) != 0) file.fail("not a delta (bad magic)");
    const auto version = static_cast<std::uint32_t>(file.fixed(4));
    if (version != snapshot_format_version)
      file.fail("format version " + std::to_string(version) + " is not supported (expected " +
                std::to_string(snapshot_format_version) + ")");
    const std::uint64_t base_digest = file.fixed(8);
    const std::uint64_t result_digest = file.fixed(8);
    const std::uint64_t length = file.fixed(8);
    const std::uint64_t checksum = file.fixed(8);
    if (base_digest != expected_base)
      file.fail("applies to the copy " + hex(base_digest) + ", not to the one held (" + hex(expected_base) + ")");
    if (length > file.remaining()) file.fail("truncated: the payload needs " + std::to_string(length) + " bytes");
    const auto payload = file.take(static_cast<std::size_t>(length));
    if (XXH3_64bits(payload.data(), payload.size()) != checksum) file.fail("checksum mismatch (corrupt data)");
    Reader r(payload, "delta payload");
    result = apply_payload(*from, r);
    from = &result;
    expected_base = result_digest;
  }
  const std::uint64_t digest = SnapshotCodec::layout(result, portal_columns(result)).digest;
  if (digest != expected_base)
    throw SnapshotFormatError("snapshot delta: the result's digest " + hex(digest) + " is not the one named (" +
                              hex(expected_base) + ")");
  return result;
}

}  // namespace invites
