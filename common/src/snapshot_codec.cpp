#include "invites/snapshot_codec.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "invites/error.hpp"
#include "snapshot_bytes.hpp"
#include "snapshot_names.hpp"
#include "snapshot_packing.hpp"
#include "snapshot_text.hpp"

namespace invites {
namespace {

using snapshot_bytes::decode_prefix_sums;
using snapshot_bytes::Reader;
using snapshot_bytes::Writer;
using snapshot_packing::read_small;
using snapshot_packing::write_small;
using snapshot_text::TextReader;
using snapshot_text::write_text;

constexpr char magic[8] = {'B', 'P', 'I', 'S', 'N', 'A', 'P', '1'};
constexpr std::size_t header_size = 8 + 4 + 4 + 8 + 8 + 8;

// Section tags, in the order they are written and expected.
enum Tag : std::uint32_t {
  tag_account_id = 1,
  tag_account_division,
  tag_account_class,
  tag_account_bill_group,
  tag_account_source,
  tag_account_flags,
  tag_account_site_sources,
  tag_account_number,
  tag_contact_id,
  tag_contact_account,
  tag_contact_email,
  tag_contact_is_billing,
  tag_contact_first_name,
  tag_contact_last_name,
  tag_account_name,  // format 5: after the contacts' names, from which most are made
  tag_email,
  tag_email_status,
  tag_email_last_invited_at,
  tag_end_of_sections
};
constexpr std::uint32_t section_count = tag_end_of_sections - 1;
// By tag - 1: the names error messages and benchmarks give the sections.
constexpr const char* section_names[section_count] = {
    "account_id",    "account_division",     "account_class",        "account_bill_group", "account_source",
    "account_flags", "account_site_sources", "account_number",       "contact_id",         "contact_account",
    "contact_email", "contact_is_billing",   "contact_first_name",   "contact_last_name",  "account_name",
    "email",         "email_status",         "email_last_invited_at"};

// ---------------------------------------------------------------- writing

void write_ascending_ids(Writer& w, const std::vector<Id>& ids) {
  w.varint(ids.size());
  Id previous = 0;
  for (Id id : ids) {
    w.varint(id - previous);
    previous = id;
  }
}

// Names repeat (a dictionary); account numbers do not (front-coded only).
void write_strings(Writer& w, const StringColumn& column, bool dictionary) {
  write_text(
      w, column.size(), [&](std::size_t i) { return column[i]; }, dictionary);
}

// Addresses split after their last '@' (none: all domain): the local parts,
// sorted, are front-coded, the domains dictionary-coded.
std::size_t domain_start(std::string_view address) { return address.rfind('@') + 1; }  // npos + 1 == 0

void write_addresses(Writer& w, const StringColumn& email) {
  w.varint(email.size());
  write_text(
      w, email.size(), [&](std::size_t i) { return email[i].substr(0, domain_start(email[i])); }, false);
  write_text(
      w, email.size(), [&](std::size_t i) { return email[i].substr(domain_start(email[i])); }, true);
}

// contact_email: a contact's address index is coded beside that of one of the
// previous `address_window` contacts, the nearest in value: contacts made
// together tend to have addresses near each other in sort order. A byte per
// contact says how (address_ref), then the numbers follow as varints.
constexpr std::size_t address_window = 128;
enum AddressRef : std::uint8_t { ref_none = 0, ref_whole = 1, ref_back = 2 };  // ref_back + d - 1: contact c - d

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) { return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1); }

// The ref byte of contact c: the nearest of the previous address_window
// contacts' addresses when the difference is smaller than the index itself.
std::uint8_t address_ref(const std::vector<std::uint32_t>& addresses, std::size_t c) {
  const std::uint32_t address = addresses[c];
  if (address == no_email) return ref_none;
  // The distance as a 32-bit signed difference: a loop of fixed length over
  // a full window without branches, which compilers vectorize. Only the
  // choice depends on it (no_email or a far index may look near); the check
  // below keeps the reference exact.
  const auto distance = [address](std::uint32_t near) {
    const auto difference = static_cast<std::int32_t>(near - address);
    return difference < 0 ? ~difference : difference;  // ~: no overflow at INT32_MIN
  };
  const std::size_t window = std::min(address_window, c);
  const std::uint32_t* recent = addresses.data() + c - window;
  std::int32_t nearest = INT32_MAX;
  if (window == address_window)
    for (std::size_t k = 0; k < address_window; ++k) nearest = std::min(nearest, distance(recent[k]));
  else
    for (std::size_t k = 0; k < window; ++k) nearest = std::min(nearest, distance(recent[k]));
  std::size_t back = 1;  // the most recent contact at the least distance
  while (back <= window && distance(addresses[c - back]) != nearest) ++back;
  if (back > window || addresses[c - back] == no_email ||
      zigzag(std::int64_t{address} - std::int64_t{addresses[c - back]}) >= std::uint64_t{address})
    return ref_whole;
  return static_cast<std::uint8_t>(ref_back + back - 1);
}

void write_contact_addresses(Writer& w, const std::vector<std::uint32_t>& addresses) {
  w.varint(addresses.size());
  std::vector<std::uint8_t> refs(addresses.size());  // held only while this section is written
  for (std::size_t c = 0; c < addresses.size(); ++c) refs[c] = address_ref(addresses, c);
  w.bytes(refs.data(), refs.size());
  for (std::size_t c = 0; c < addresses.size(); ++c) {
    if (refs[c] == ref_whole)
      w.varint(addresses[c]);
    else if (refs[c] != ref_none)
      w.varint(zigzag(std::int64_t{addresses[c]} - std::int64_t{addresses[c - (refs[c] - ref_back + 1)]}));
  }
}

// email_status byte: the portal status in bits 0-4, bit 5 when the address
// has a last invitation time, bit 6 its suppression, bit 7 its validity.
constexpr std::uint8_t status_mask = 0x1F, invited_bit = 0x20, suppressed_bit = 0x40, valid_bit = 0x80;

// email_last_invited_at: only the times of the addresses that have one, less
// the smallest, as fixed-width numbers written byte plane by byte plane (all
// low bytes, then the next...): the high planes are nearly constant and the
// wire's zstd all but removes them.
void write_invitation_times(Writer& w, std::span<const std::int64_t> times) {
  std::size_t count = 0;
  std::int64_t least = INT64_MAX, most = 0;
  for (const std::int64_t at : times)
    if (at > 0) {
      ++count;
      least = std::min(least, at);
      most = std::max(most, at);
    }
  if (count == 0) least = 0;
  std::uint8_t width = 0;
  for (auto span = static_cast<std::uint64_t>(most - least); span != 0; span >>= 8) ++width;
  w.varint(count);
  w.varint(static_cast<std::uint64_t>(least));
  w.bytes(&width, 1);
  for (std::uint8_t plane = 0; plane < width; ++plane)
    for (const std::int64_t at : times)
      if (at > 0) {
        const auto byte = static_cast<std::uint8_t>(static_cast<std::uint64_t>(at - least) >> (8 * plane));
        w.bytes(&byte, 1);
      }
}

// account_site_sources: when every id is from 1 to 8 (site sources are a short
// lookup table), a byte per account with bit id - 1 set for each of its site
// sources (format 5); otherwise the count per account, then the ids.
enum SiteSourceCoding : std::uint8_t { site_sources_listed = 0, site_sources_as_bits = 1 };
constexpr Id max_site_source_bit = 8;

void write_site_sources(Writer& w, const Snapshot& s) {
  w.varint(s.account_count());
  const bool as_bits = std::all_of(s.site_source_ids.begin(), s.site_source_ids.end(),
                                   [](Id id) { return id >= 1 && id <= max_site_source_bit; });
  const std::uint8_t coding = as_bits ? site_sources_as_bits : site_sources_listed;
  w.bytes(&coding, 1);
  for (std::size_t a = 0; a < s.account_count(); ++a) {
    const auto begin = s.site_source_begin[a], end = s.site_source_begin[a + 1];
    if (!as_bits) {
      w.varint(end - begin);
      continue;
    }
    std::uint8_t bits = 0;
    for (auto k = begin; k < end; ++k) bits = static_cast<std::uint8_t>(bits | 1u << (s.site_source_ids[k] - 1));
    w.bytes(&bits, 1);
  }
  if (as_bits) return;
  w.varint(s.site_source_ids.size());
  for (Id id : s.site_source_ids) w.varint(id);
}

Reader open_section(Reader& payload, Tag tag, const char* name) {
  auto found = static_cast<std::uint32_t>(payload.fixed(4));
  if (found != tag)
    payload.fail(std::string("expected section ") + name + " (tag " + std::to_string(tag) + "), found tag " +
                 std::to_string(found));
  std::uint64_t length = payload.fixed(8);
  if (length > payload.remaining()) payload.fail(std::string("section ") + name + " is truncated");
  return Reader(payload.take(static_cast<std::size_t>(length)), std::string("section ") + name);
}

void expect_count(Reader& r, std::size_t found, std::size_t expected) {
  if (found != expected) r.fail("has " + std::to_string(found) + " entries, expected " + std::to_string(expected));
}

// Bulk decoders: each fills a presized array and reports failure instead of
// throwing, so their loops stay free of exception edges.
bool decode_varints32(Reader& r, std::uint32_t* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t v;
    if (!r.try_varint(v) || v > 0xFFFFFFFFull) return false;
    out[i] = static_cast<std::uint32_t>(v);
  }
  return true;
}

bool decode_ascending_ids(Reader& r, Id* out, std::size_t n) noexcept {
  std::uint64_t previous = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t delta;
    if (!r.try_varint(delta) || delta == 0 || delta > 0xFFFFFFFFull) return false;
    previous += delta;
    if (previous > 0xFFFFFFFFull) return false;
    out[i] = static_cast<Id>(previous);
  }
  return true;
}

std::vector<std::uint32_t> read_varints32(Reader& r) {
  std::size_t n = r.count(1);
  std::vector<std::uint32_t> values(n);
  if (!decode_varints32(r, values.data(), n)) r.fail("malformed integer column");
  return values;
}

std::vector<Id> read_ascending_ids(Reader& r) {
  std::size_t n = r.count(1);
  std::vector<Id> ids(n);
  if (!decode_ascending_ids(r, ids.data(), n)) r.fail("ids are malformed or not strictly ascending");
  return ids;
}

// The n values of one or more text columns, value i being the concatenation
// of each column's value i (an address: its local part and its domain).
template <std::size_t parts_per_value>
StringColumn read_strings(TextReader (&parts)[parts_per_value], std::size_t n) {
  std::size_t total = 0;
  for (const auto& part : parts) total += part.total_bytes();
  if (total > 0xFFFFFFFFull) throw SnapshotFormatError("snapshot: a text column holds more than 4 GiB");
  std::string bytes(total + snapshot_text::write_slack, '\0');
  std::vector<std::uint32_t> offsets(n + 1);
  std::size_t at = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& part : parts) part.write_next(bytes.data(), at);
    offsets[i + 1] = static_cast<std::uint32_t>(at);
  }
  bytes.resize(total);  // keeps the buffer: the slack goes unused
  StringColumn column;
  column.assign(std::move(offsets), std::move(bytes));
  return column;
}

StringColumn read_strings(Reader& r, std::size_t n) {
  TextReader text[] = {TextReader(r, n)};
  return read_strings(text, n);
}

StringColumn read_addresses(Reader& r) {
  const std::size_t n = r.count(1);
  TextReader parts[] = {TextReader(r, n), TextReader(r, n)};
  return read_strings(parts, n);
}

// Fills out[0 .. n) from the refs and the numbers of write_contact_addresses();
// false when a ref or number is malformed or out of range.
bool decode_contact_addresses(std::span<const std::uint8_t> refs, Reader& numbers, std::uint32_t* out) noexcept {
  for (std::size_t c = 0; c < refs.size(); ++c) {
    const std::uint8_t ref = refs[c];
    if (ref == ref_none) {
      out[c] = no_email;
      continue;
    }
    std::uint64_t number;
    if (!numbers.try_varint(number)) return false;
    std::int64_t address;
    if (ref == ref_whole) {
      address = static_cast<std::int64_t>(std::min<std::uint64_t>(number, no_email));
    } else {
      const std::size_t back = ref - ref_back + 1;
      if (back > address_window || back > c || out[c - back] == no_email) return false;
      address = std::int64_t{out[c - back]} + unzigzag(number);
    }
    if (address < 0 || address >= std::int64_t{no_email}) return false;
    out[c] = static_cast<std::uint32_t>(address);
  }
  return true;
}

// The site sources of write_site_sources()'s bytes per account, ascending.
void read_site_source_bits(std::span<const std::uint8_t> bits, std::vector<std::uint32_t>& begin,
                           std::vector<Id>& ids) {
  std::size_t total = 0;
  for (const std::uint8_t byte : bits) total += static_cast<std::size_t>(std::popcount(byte));
  ids.resize(total);
  std::size_t at = 0;
  begin[0] = 0;
  for (std::size_t a = 0; a < bits.size(); ++a) {
    for (unsigned rest = bits[a]; rest != 0; rest &= rest - 1) ids[at++] = static_cast<Id>(std::countr_zero(rest) + 1);
    begin[a + 1] = static_cast<std::uint32_t>(at);
  }
}

bool decode_account_deltas(Reader& r, std::uint32_t* out, std::size_t n, std::size_t accounts) noexcept {
  std::int64_t previous = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t coded;
    if (!r.try_varint(coded)) return false;
    const std::int64_t value = previous + unzigzag(coded);
    if (value < 0 || static_cast<std::uint64_t>(value) >= accounts) return false;
    out[i] = static_cast<std::uint32_t>(value);
    previous = value;
  }
  return true;
}

// The times of write_invitation_times() into `out` (zero-filled) at the
// addresses whose status byte has invited_bit.
void read_invitation_times(Reader& r, std::span<const std::uint8_t> status_bytes, std::span<std::int64_t> out) {
  std::size_t expected = 0;
  for (const auto byte : status_bytes) expected += (byte & invited_bit) != 0;
  const std::size_t count = r.count(0);
  if (count != expected)
    r.fail("has " + std::to_string(count) + " times, but " + std::to_string(expected) + " addresses have one");
  const std::uint64_t least = r.varint();
  const std::uint8_t width = r.take(1)[0];
  if (least > static_cast<std::uint64_t>(INT64_MAX) || width > 8) r.fail("malformed time base or width");
  if (count > 0 && width > r.remaining() / count) r.fail("truncated time planes");
  const auto planes = r.take(count * width);
  const std::uint64_t most = static_cast<std::uint64_t>(INT64_MAX) - least;
  std::size_t k = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!(status_bytes[i] & invited_bit)) continue;
    std::uint64_t offset = 0;
    for (std::uint8_t plane = 0; plane < width; ++plane)
      offset |= std::uint64_t{planes[plane * count + k]} << (8 * plane);
    if (offset > most) r.fail("time out of range");
    out[i] = static_cast<std::int64_t>(least + offset);
    ++k;
  }
}

}  // namespace

namespace {

// Calls visit(tag, fill) for every section that does not depend on the
// portal columns, in order (all but the last two); fill(Writer&) writes the
// section's body.
template <typename Visit>
void for_each_snapshot_section(const Snapshot& s, Visit&& visit) {
  const auto first_contacts = snapshot_names::first_contacts(s.contact_account, s.account_count());
  visit(tag_account_id, [&](Writer& w) { write_ascending_ids(w, s.account_id); });
  visit(tag_account_division, [&](Writer& w) { write_small(w, s.account_division); });
  visit(tag_account_class, [&](Writer& w) { write_small(w, s.account_class); });
  visit(tag_account_bill_group, [&](Writer& w) { write_small(w, s.account_bill_group); });
  visit(tag_account_source, [&](Writer& w) { write_small(w, s.account_source); });
  visit(tag_account_flags, [&](Writer& w) { write_small(w, s.account_flags); });
  visit(tag_account_site_sources, [&](Writer& w) { write_site_sources(w, s); });
  visit(tag_account_number, [&](Writer& w) { write_strings(w, s.account_number, false); });
  visit(tag_contact_id, [&](Writer& w) { write_ascending_ids(w, s.contact_id); });
  visit(tag_contact_account, [&](Writer& w) {
    // Contacts of one account usually have neighbouring ids: code the account
    // index as a signed difference from the previous contact's.
    w.varint(s.contact_count());
    std::int64_t previous = 0;
    for (std::uint32_t account : s.contact_account) {
      w.varint(zigzag(static_cast<std::int64_t>(account) - previous));
      previous = account;
    }
  });
  visit(tag_contact_email, [&](Writer& w) { write_contact_addresses(w, s.contact_email); });
  visit(tag_contact_is_billing, [&](Writer& w) { write_small(w, s.contact_is_billing); });
  visit(tag_contact_first_name, [&](Writer& w) { write_strings(w, s.contact_first_name, true); });
  visit(tag_contact_last_name, [&](Writer& w) { snapshot_names::write_last_names(w, s, first_contacts); });
  visit(tag_account_name, [&](Writer& w) { snapshot_names::write_account_names(w, s, first_contacts); });
  visit(tag_email, [&](Writer& w) { write_addresses(w, s.email); });
}

// The same for the sections that do (the last two).
template <typename Visit>
void for_each_portal_section(const Snapshot& s, const PortalColumns& portal, Visit&& visit) {
  visit(tag_email_status, [&](Writer& w) {
    // Format 2: bit 7 carries the §2.3 validity of the address, so that a
    // decoder need not check ~2M addresses again (the builder's verdict);
    // format 3: bit 6 its suppression; format 4: bit 5 whether it has a time.
    w.varint(s.email_count());
    std::string packed(s.email_count(), '\0');
    for (std::size_t i = 0; i < s.email_count(); ++i)
      packed[i] = static_cast<char>(static_cast<std::uint8_t>(portal.status[i]) |
                                    (portal.last_invited_at[i] > 0 ? invited_bit : 0) |
                                    (portal.suppressed[i] ? suppressed_bit : 0) | (s.email_valid[i] ? valid_bit : 0));
    w.bytes(packed.data(), packed.size());
  });
  visit(tag_email_last_invited_at, [&](Writer& w) { write_invitation_times(w, portal.last_invited_at); });
}

template <typename Visit>
void for_each_section(const Snapshot& s, const PortalColumns& portal, Visit&& visit) {
  for_each_snapshot_section(s, visit);
  for_each_portal_section(s, portal, visit);
}

// Portal columns that do not match the addresses are refused whole.
void check_portal_columns(const Snapshot& s, const PortalColumns& portal) {
  const std::size_t emails = s.email_count();
  if (portal.status.size() != emails || portal.last_invited_at.size() != emails || portal.suppressed.size() != emails)
    throw std::invalid_argument("snapshot: the portal columns (" + std::to_string(portal.status.size()) +
                                " statuses, " + std::to_string(portal.last_invited_at.size()) + " invitation times, " +
                                std::to_string(portal.suppressed.size()) + " suppression flags) do not match its " +
                                std::to_string(emails) + " addresses");
}

// Each visited section's body length, from a counting pass (nothing is written).
template <typename ForEach>
void add_section_sizes(std::vector<std::uint64_t>& sizes, ForEach&& for_each) {
  for_each([&](Tag, auto fill) {
    Writer counter(true);
    fill(counter);
    sizes.push_back(counter.size());
  });
}

std::vector<std::uint64_t> section_sizes(const Snapshot& s, const PortalColumns& portal) {
  check_portal_columns(s, portal);  // every encode() passes here first
  std::vector<std::uint64_t> sizes;
  sizes.reserve(section_count);
  add_section_sizes(sizes, [&](auto visit) { for_each_section(s, portal, visit); });
  return sizes;
}

// Each visited section as tag, length, body; `next`: the index of its size.
template <typename ForEach>
void write_visited_sections(Writer& w, const std::vector<std::uint64_t>& sizes, std::size_t& next, ForEach&& for_each) {
  for_each([&](Tag tag, auto fill) {
    w.u32(tag);
    w.u64(sizes.at(next++));
    fill(w);
  });
}

// The payload: each section as tag, length, body.
void write_sections(Writer& w, const Snapshot& s, const PortalColumns& portal,
                    const std::vector<std::uint64_t>& sizes) {
  std::size_t next = 0;
  write_visited_sections(w, sizes, next, [&](auto visit) { for_each_section(s, portal, visit); });
}

std::size_t payload_size(const std::vector<std::uint64_t>& sizes) {
  std::size_t total = 0;
  for (const auto size : sizes) total += 4 + 8 + size;
  return total;
}

std::string header_bytes(std::int64_t generated_at, std::uint64_t payload_length, std::uint64_t checksum) {
  Writer header;
  header.bytes(magic, sizeof magic);
  header.u32(snapshot_format_version);
  header.u32(section_count);
  header.u64(static_cast<std::uint64_t>(generated_at));
  header.u64(payload_length);
  header.u64(checksum);
  return std::move(header.str());
}

}  // namespace

std::string SnapshotCodec::encode(const Snapshot& s) { return encode(s, portal_columns(s)); }

std::string SnapshotCodec::encode(const Snapshot& s, const PortalColumns& portal) {
  // Lengths first: the buffer (~100 MB at 1M accounts) is allocated once at
  // its final size, and the header goes into the room left at its front.
  const auto sizes = section_sizes(s, portal);
  Writer payload;
  payload.str().reserve(header_size + payload_size(sizes));
  payload.bytes(std::string(header_size, '\0').data(), header_size);
  write_sections(payload, s, portal, sizes);
  std::string& bytes = payload.str();
  const std::size_t body_size = bytes.size() - header_size;
  const std::string header =
      header_bytes(s.generated_at, body_size, XXH3_64bits(bytes.data() + header_size, body_size));
  std::copy(header.begin(), header.end(), bytes.begin());
  return std::move(bytes);
}

// The checksum's state after the sections that do not depend on the portal columns.
struct SnapshotLayoutBase::Hashed {
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state{XXH3_createState(), XXH3_freeState};
};

SnapshotLayoutBase::SnapshotLayoutBase(SnapshotLayoutBase&&) noexcept = default;
SnapshotLayoutBase& SnapshotLayoutBase::operator=(SnapshotLayoutBase&&) noexcept = default;
SnapshotLayoutBase::~SnapshotLayoutBase() = default;

SnapshotLayoutBase SnapshotCodec::layout_base(const Snapshot& s) {
  SnapshotLayoutBase base;
  base.generated_at_ = s.generated_at;
  base.hashed_ = std::make_unique<SnapshotLayoutBase::Hashed>();
  XXH3_state_t* state = base.hashed_->state.get();
  if (!state || XXH3_64bits_reset(state) != XXH_OK) throw std::runtime_error("snapshot: cannot start the checksum");
  add_section_sizes(base.section_sizes_, [&](auto visit) { for_each_snapshot_section(s, visit); });
  Writer hashing([&](std::string_view piece) { XXH3_64bits_update(state, piece.data(), piece.size()); });
  std::size_t next = 0;
  write_visited_sections(hashing, base.section_sizes_, next, [&](auto visit) { for_each_snapshot_section(s, visit); });
  hashing.flush();
  return base;
}

SnapshotLayout SnapshotCodec::layout(const Snapshot& s, const PortalColumns& portal, const SnapshotLayoutBase& base) {
  if (!base.hashed_ || base.generated_at_ != s.generated_at)
    throw std::logic_error("snapshot: the layout base given to layout() is not this snapshot's");
  check_portal_columns(s, portal);
  SnapshotLayout layout;
  layout.generated_at = s.generated_at;
  layout.section_sizes = base.section_sizes_;
  add_section_sizes(layout.section_sizes, [&](auto visit) { for_each_portal_section(s, portal, visit); });
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(), XXH3_freeState);
  if (!state) throw std::runtime_error("snapshot: cannot start the checksum");
  XXH3_copyState(state.get(), base.hashed_->state.get());
  Writer hashing([&](std::string_view piece) { XXH3_64bits_update(state.get(), piece.data(), piece.size()); });
  std::size_t next = base.section_sizes_.size();
  write_visited_sections(hashing, layout.section_sizes, next,
                         [&](auto visit) { for_each_portal_section(s, portal, visit); });
  hashing.flush();
  layout.payload_checksum = XXH3_64bits_digest(state.get());
  const std::size_t payload_bytes = payload_size(layout.section_sizes);
  layout.size = header_size + payload_bytes;
  const std::string header = header_bytes(s.generated_at, payload_bytes, layout.payload_checksum);
  layout.digest = XXH3_64bits(header.data(), header.size());
  return layout;
}

SnapshotLayout SnapshotCodec::layout(const Snapshot& s, const PortalColumns& portal) {
  check_portal_columns(s, portal);
  return layout(s, portal, layout_base(s));
}

void SnapshotCodec::encode(const Snapshot& s, const PortalColumns& portal, const SnapshotLayout& layout,
                           const std::function<void(std::string_view)>& sink) {
  if (layout.generated_at != s.generated_at || layout.section_sizes.size() != section_count)
    throw std::logic_error("snapshot: the layout given to encode() is not this snapshot's");
  Writer out(sink);
  const std::string header = header_bytes(s.generated_at, layout.size - header_size, layout.payload_checksum);
  out.bytes(header.data(), header.size());
  write_sections(out, s, portal, layout.section_sizes);
  out.flush();
  if (out.size() != layout.size)
    throw std::logic_error("snapshot: the layout given to encode() is not this snapshot's");
}

namespace {

// Where decode_sections() gets its sections from: a span in memory, or a
// ByteSource read one section at a time.
class SectionFeed {
 public:
  virtual ~SectionFeed() = default;
  // The next section, which must be `tag`; valid until the next open().
  virtual Reader open(Tag tag, const char* name) = 0;
  [[noreturn]] virtual void fail(const std::string& problem) = 0;
  // After the last section: no bytes may be left (and the checksum must match).
  virtual void finish() = 0;
};

class SpanFeed final : public SectionFeed {
 public:
  explicit SpanFeed(std::span<const std::uint8_t> payload) : payload_(payload, "payload") {}
  Reader open(Tag tag, const char* name) override { return open_section(payload_, tag, name); }
  [[noreturn]] void fail(const std::string& problem) override { payload_.fail(problem); }
  void finish() override { payload_.expect_end(); }

 private:
  Reader payload_;
};

// Copies one section at a time out of the source into a buffer, hashing as it
// goes; the checksum is compared in finish().
class StreamFeed final : public SectionFeed {
 public:
  StreamFeed(ByteSource& source, std::size_t offset, std::size_t length, std::uint64_t checksum)
      : source_(source), pos_(offset), end_(offset + length), checksum_(checksum), state_(XXH3_createState()) {
    if (!state_ || XXH3_64bits_reset(state_) != XXH_OK)
      throw SnapshotFormatError("snapshot: cannot start the checksum");
  }
  ~StreamFeed() override { XXH3_freeState(state_); }
  StreamFeed(const StreamFeed&) = delete;
  StreamFeed& operator=(const StreamFeed&) = delete;

  Reader open(Tag tag, const char* name) override {
    std::uint8_t head[12];
    if (end_ - pos_ < sizeof head) fail(std::string("section ") + name + " is truncated");
    take(head, sizeof head);
    Reader h(std::span<const std::uint8_t>(head, sizeof head), "payload");
    auto found = static_cast<std::uint32_t>(h.fixed(4));
    if (found != tag)
      fail(std::string("expected section ") + name + " (tag " + std::to_string(tag) + "), found tag " +
           std::to_string(found));
    std::uint64_t length = h.fixed(8);
    if (length > end_ - pos_) fail(std::string("section ") + name + " is truncated");
    buffer_.resize(static_cast<std::size_t>(length));
    take(buffer_.data(), buffer_.size());
    return Reader(std::span<const std::uint8_t>(buffer_.data(), buffer_.size()), std::string("section ") + name);
  }
  [[noreturn]] void fail(const std::string& problem) override {
    throw SnapshotFormatError("snapshot payload: " + problem + " (at byte " + std::to_string(pos_) + ")");
  }
  void finish() override {
    if (pos_ != end_) fail(std::to_string(end_ - pos_) + " unexpected trailing bytes");
    std::vector<std::uint8_t>().swap(buffer_);
    if (XXH3_64bits_digest(state_) != checksum_)
      throw SnapshotFormatError("snapshot header: checksum mismatch (corrupt data)");
  }

 private:
  void take(std::uint8_t* out, std::size_t n) {
    if (n == 0) return;
    source_.read(pos_, out, n);
    XXH3_64bits_update(state_, out, n);
    pos_ += n;
  }
  ByteSource& source_;
  std::size_t pos_, end_;
  std::uint64_t checksum_;
  XXH3_state_t* state_;
  std::vector<std::uint8_t> buffer_;
};

Snapshot decode_sections(SectionFeed& feed, std::int64_t generated_at) {
  Snapshot s;
  s.generated_at = generated_at;
  {
    Reader r = feed.open(tag_account_id, "account_id");
    s.account_id = read_ascending_ids(r);
    r.expect_end();
  }
  const std::size_t accounts = s.account_count();
  auto read_lookup = [&](Tag tag, const char* name, std::vector<Id>& column) {
    Reader r = feed.open(tag, name);
    column = read_small<Id>(r, accounts, 0xFFFFFFFFull);
    r.expect_end();
  };
  read_lookup(tag_account_division, "account_division", s.account_division);
  read_lookup(tag_account_class, "account_class", s.account_class);
  read_lookup(tag_account_bill_group, "account_bill_group", s.account_bill_group);
  read_lookup(tag_account_source, "account_source", s.account_source);
  {
    Reader r = feed.open(tag_account_flags, "account_flags");
    s.account_flags = read_small<std::uint8_t>(
        r, accounts, account_flag::balance_due | account_flag::autopay | account_flag::has_active_service);
    r.expect_end();
  }
  {
    Reader r = feed.open(tag_account_site_sources, "account_site_sources");
    expect_count(r, r.count(1), accounts);
    const std::uint8_t coding = r.take(1)[0];
    s.site_source_begin.resize(accounts + 1);
    if (coding == site_sources_as_bits) {
      read_site_source_bits(r.take(accounts), s.site_source_begin, s.site_source_ids);
    } else if (coding == site_sources_listed) {
      if (!decode_prefix_sums(r, s.site_source_begin.data(), accounts)) r.fail("malformed site source counts");
      const std::uint64_t total = s.site_source_begin[accounts];
      s.site_source_ids = read_varints32(r);
      expect_count(r, s.site_source_ids.size(), static_cast<std::size_t>(total));
    } else {
      r.fail("unknown site source coding " + std::to_string(coding));
    }
    r.expect_end();
  }
  auto read_string_column = [&](Tag tag, const char* name, StringColumn& column, std::size_t expected) {
    Reader r = feed.open(tag, name);
    column = read_strings(r, expected);
    r.expect_end();
  };
  read_string_column(tag_account_number, "account_number", s.account_number, accounts);

  {
    Reader r = feed.open(tag_contact_id, "contact_id");
    s.contact_id = read_ascending_ids(r);
    r.expect_end();
  }
  const std::size_t contacts = s.contact_count();
  {
    Reader r = feed.open(tag_contact_account, "contact_account");
    expect_count(r, r.count(1), contacts);
    s.contact_account.resize(contacts);
    if (!decode_account_deltas(r, s.contact_account.data(), contacts, accounts))
      r.fail("malformed or out-of-range account index");
    r.expect_end();
  }
  {
    Reader r = feed.open(tag_contact_email, "contact_email");
    expect_count(r, r.count(1), contacts);
    const auto refs = r.take(contacts);
    s.contact_email.resize(contacts);
    if (!decode_contact_addresses(refs, r, s.contact_email.data()))
      r.fail("malformed or out-of-range address reference");
    r.expect_end();
  }
  {
    Reader r = feed.open(tag_contact_is_billing, "contact_is_billing");
    s.contact_is_billing = read_small<std::uint8_t>(r, contacts, 1);
    r.expect_end();
  }
  read_string_column(tag_contact_first_name, "contact_first_name", s.contact_first_name, contacts);
  {
    const auto first_contacts = snapshot_names::first_contacts(s.contact_account, accounts);
    {
      Reader r = feed.open(tag_contact_last_name, "contact_last_name");
      s.contact_last_name = snapshot_names::read_last_names(r, s.contact_account, first_contacts);
      r.expect_end();
    }
    Reader r = feed.open(tag_account_name, "account_name");
    s.account_name = snapshot_names::read_account_names(r, s, first_contacts);
    r.expect_end();
  }
  {
    Reader r = feed.open(tag_email, "email");
    s.email = read_addresses(r);
    for (std::size_t i = 1; i < s.email.size(); ++i)
      if (!(s.email[i - 1] < s.email[i])) r.fail("addresses are not sorted and distinct");
    r.expect_end();
  }
  const std::size_t emails = s.email_count();
  for (const std::uint32_t address : s.contact_email)
    if (address != no_email && address >= emails)
      feed.fail("contact refers to address index " + std::to_string(address) + " out of range");
  std::vector<std::uint8_t> status_bytes;  // for the times that follow
  {
    Reader r = feed.open(tag_email_status, "email_status");
    expect_count(r, r.count(1), emails);
    auto raw = r.take(emails);
    status_bytes.assign(raw.begin(), raw.end());
    s.email_status.resize(emails);
    s.email_valid.resize(emails);
    s.email_suppressed.resize(emails);
    for (std::size_t i = 0; i < emails; ++i) {
      const std::uint8_t status = raw[i] & status_mask;
      if (status > static_cast<std::uint8_t>(PortalStatus::disabled))
        r.fail("unknown portal status " + std::to_string(status));
      s.email_status[i] = static_cast<PortalStatus>(status);
      s.email_suppressed[i] = (raw[i] & suppressed_bit) != 0;
      s.email_valid[i] = (raw[i] & valid_bit) != 0;
    }
    r.expect_end();
  }
  {
    Reader r = feed.open(tag_email_last_invited_at, "email_last_invited_at");
    s.email_last_invited_at.assign(emails, 0);
    read_invitation_times(r, status_bytes, s.email_last_invited_at);
    r.expect_end();
  }
  feed.finish();
  s.derive_contact_indexes();  // email_valid came with the file
  return s;
}

struct Header {
  std::int64_t generated_at;
  std::uint64_t payload_length;
  std::uint64_t checksum;
};

// The fixed header; `total` is the size of the whole buffer it starts.
Header read_header(Reader& file, std::size_t total) {
  if (total < header_size) file.fail("too short to be a snapshot");
  auto magic_bytes = file.take(sizeof magic);
  if (std::memcmp(magic_bytes.data(), magic, sizeof magic) != 0) file.fail("not a snapshot (bad magic)");
  auto version = static_cast<std::uint32_t>(file.fixed(4));
  if (version != snapshot_format_version)
    file.fail("format version " + std::to_string(version) + " is not supported (expected " +
              std::to_string(snapshot_format_version) + ")");
  auto sections = static_cast<std::uint32_t>(file.fixed(4));
  if (sections != section_count)
    file.fail("has " + std::to_string(sections) + " sections, expected " + std::to_string(section_count));
  Header h;
  h.generated_at = static_cast<std::int64_t>(file.fixed(8));
  h.payload_length = file.fixed(8);
  h.checksum = file.fixed(8);
  if (h.payload_length != total - header_size)
    file.fail("payload length " + std::to_string(h.payload_length) + " does not match the " +
              std::to_string(total - header_size) + " bytes present");
  return h;
}

}  // namespace

const char* SnapshotCodec::section_name(std::uint32_t tag) {
  return tag >= 1 && tag <= section_count ? section_names[tag - 1] : nullptr;
}

Snapshot SnapshotCodec::decode(std::span<const std::uint8_t> bytes) {
  Reader file(bytes, "header");
  const Header h = read_header(file, bytes.size());
  auto payload_bytes = file.take(static_cast<std::size_t>(h.payload_length));
  if (XXH3_64bits(payload_bytes.data(), payload_bytes.size()) != h.checksum)
    file.fail("checksum mismatch (corrupt data)");
  SpanFeed feed(payload_bytes);
  return decode_sections(feed, h.generated_at);
}

Snapshot SnapshotCodec::decode(ByteSource& source) {
  const std::size_t total = source.size();
  const std::size_t head_size = std::min(total, header_size);
  std::uint8_t head[header_size] = {};
  if (head_size > 0) source.read(0, head, head_size);
  Reader file(std::span<const std::uint8_t>(head, head_size), "header");
  const Header h = read_header(file, total);
  StreamFeed feed(source, header_size, static_cast<std::size_t>(h.payload_length), h.checksum);
  return decode_sections(feed, h.generated_at);
}

}  // namespace invites
