#include "invites/evaluator.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

namespace invites {
namespace {

// A scratch array that is written in full before it is read: no zero fill
// (a memset of megabytes is a loop in WebAssembly).
template <typename T>
class Scratch {
 public:
  explicit Scratch(std::size_t n) : data_(new T[n]), size_(n) {}
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  T* data() noexcept { return data_.get(); }
  const T* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }

 private:
  std::unique_ptr<T[]> data_;
  std::size_t size_;
};

// A membership table for a non-empty id list of the filter: ids are small
// dense lookup keys, so a byte table beats hashing in the per-account loops.
// Ids beyond the listed ones share the table's last entry, so a lookup is one
// load without a branch. Entries are masks (0xFF for a member, else 0).
class IdTable {
 public:
  explicit IdTable(const std::vector<Id>& ids) : mask_(std::size_t{*std::max_element(ids.begin(), ids.end())} + 2, 0) {
    for (Id id : ids) mask_[id] = 0xFF;
  }
  // The table as plain values for a hot loop: the loops store bytes, which
  // may alias anything, so members read through `this` would be reloaded
  // after every store.
  struct Lookup {
    const std::uint8_t* mask;
    std::size_t last;
    std::uint8_t operator()(Id id) const { return mask[std::min<std::size_t>(id, last)]; }
  };
  Lookup lookup() const { return {mask_.data(), mask_.size() - 1}; }

 private:
  std::vector<std::uint8_t> mask_;
};

// Clears the accounts whose `column` value is not in `ids` ("any" when empty).
void keep_listed(Scratch<std::uint8_t>& match, const std::vector<Id>& ids, const std::vector<Id>& column) {
  if (ids.empty()) return;
  const IdTable table(ids);
  const IdTable::Lookup mask = table.lookup();
  std::uint8_t* out = match.data();
  const Id* value = column.data();
  for (std::size_t a = 0, n = match.size(); a < n; ++a) out[a] &= mask(value[a]);
}

// Clears the accounts without a site source in `ids` ("any" when empty).
// Counting the listed entries of the site source CSR as a prefix sum first
// makes both passes flat: no inner loop of 0..n entries per account to mispredict.
void keep_with_site_source(Scratch<std::uint8_t>& match, const std::vector<Id>& ids, const Snapshot& s) {
  if (ids.empty()) return;
  const IdTable table(ids);
  const IdTable::Lookup mask = table.lookup();
  const std::size_t entries = s.site_source_ids.size();
  Scratch<std::uint32_t> listed_before(entries + 1);  // listed entries in [0, k)
  const Id* id = s.site_source_ids.data();
  std::uint32_t listed = 0;
  for (std::size_t k = 0; k < entries; ++k) {
    listed_before[k] = listed;
    listed += mask(id[k]) & 1;
  }
  listed_before[entries] = listed;
  const std::uint32_t* begin = s.site_source_begin.data();
  std::uint8_t* out = match.data();
  for (std::size_t a = 0, n = match.size(); a < n; ++a)
    out[a] = listed_before[begin[a + 1]] != listed_before[begin[a]] ? out[a] : 0;
}

// Per account 0xFF when it meets the filter's account conditions, else 0: a
// flat pass per condition the filter sets, none for the ones left at "any".
Scratch<std::uint8_t> matching_accounts(const Snapshot& s, const Filter& f) {
  std::uint8_t required_flags = 0, forbidden_flags = 0;
  if (f.active_service_only) required_flags |= account_flag::has_active_service;
  if (f.balance_due_only) required_flags |= account_flag::balance_due;
  if (f.without_autopay_only) forbidden_flags |= account_flag::autopay;
  const std::uint8_t tested_flags = required_flags | forbidden_flags;
  Scratch<std::uint8_t> match(s.account_count());
  std::uint8_t* out = match.data();
  const std::uint8_t* flags = s.account_flags.data();
  for (std::size_t a = 0, n = match.size(); a < n; ++a) out[a] = (flags[a] & tested_flags) == required_flags ? 0xFF : 0;
  keep_listed(match, f.division_ids, s.account_division);
  keep_listed(match, f.account_class_ids, s.account_class);
  keep_listed(match, f.bill_group_ids, s.account_bill_group);
  keep_listed(match, f.account_source_ids, s.account_source);
  keep_with_site_source(match, f.site_source_ids, s);
  return match;
}

// The contacts a filter makes candidates, as a set of contact keys (account
// index << 1 | is_billing, as Snapshot::email_contact_account_billing): two
// bits per account, so the set of 1M accounts (250 KB) stays in cache for the
// lookups in address order, which come in no account order.
class CandidateKeys {
 public:
  CandidateKeys(const Snapshot& s, const Filter& f) : bits_((2 * s.account_count() + 7) / 8) {
    const Scratch<std::uint8_t> match = matching_accounts(s, f);
    const std::uint8_t keys_of_match = f.billing_contacts_only ? 0b10 : 0b11;  // billing contacts only, or any
    const std::uint8_t* matched = match.data();
    const std::size_t accounts = match.size();
    std::uint8_t* out = bits_.data();
    for (std::size_t byte = 0, n = bits_.size(); byte < n; ++byte) {  // four accounts per byte
      std::uint8_t packed = 0;
      for (std::size_t i = 0; i < 4; ++i) {
        const std::size_t a = 4 * byte + i;
        const std::uint8_t account_keys = a < accounts ? matched[a] & keys_of_match : 0;
        packed = static_cast<std::uint8_t>(packed | account_keys << (2 * i));
      }
      out[byte] = packed;
    }
  }
  bool contains(std::uint32_t key) const { return (bits_[key >> 3] >> (key & 7)) & 1; }

 private:
  Scratch<std::uint8_t> bits_;
};

// Candidate contacts without a valid address, ascending: §2.3's skipped ones.
// Branch-free: every contact is written, and only a candidate advances.
std::vector<std::uint32_t> skipped_contacts(const Snapshot& s, const CandidateKeys& candidates) {
  const std::vector<std::uint32_t>& without_valid_email = s.contacts_without_valid_email;
  Scratch<std::uint32_t> skipped(without_valid_email.size());
  std::size_t count = 0;
  for (const std::uint32_t c : without_valid_email) {
    skipped[count] = c;
    count += candidates.contains(s.contact_account[c] << 1 | s.contact_is_billing[c]);
  }
  return std::vector<std::uint32_t>(skipped.data(), skipped.data() + count);
}

// group_for(status, suppressed) as a table, indexed by status | suppressed << 2.
constexpr std::array<std::uint8_t, 8> group_table = [] {
  std::array<std::uint8_t, 8> table{};
  for (std::uint8_t key = 0; key < table.size(); ++key)
    table[key] = static_cast<std::uint8_t>(group_for(static_cast<PortalStatus>(key & 3), (key >> 2) != 0));
  return table;
}();
std::size_t group_index(PortalStatus status, std::uint8_t suppressed) {
  return group_table[(static_cast<std::uint8_t>(status) & 3) | (suppressed & 1) << 2];
}

// All recipients in address order, and how many fall in each group.
struct Recipients {
  explicit Recipients(std::size_t capacity) : refs(capacity) {}
  Scratch<RecipientRef> refs;  // the first `count` are set
  std::size_t count = 0;
  std::array<std::uint64_t, all_groups.size()> per_group{};
};

// In address order: an address with a valid form is a recipient when one of
// its contacts is a candidate; its contacts are in ascending id order, so the
// first candidate is the lowest-id representative. Branch-free (selects,
// walking each address's contacts backwards so the lowest candidate wins; a
// non-recipient is written past the last recipient and overwritten): most
// addresses have one contact, and independent loads overlap.
Recipients find_recipients(const Snapshot& s, const CandidateKeys& candidates, const PortalColumns& portal) {
  constexpr std::uint32_t none = 0xFFFFFFFFu;
  const std::size_t emails = s.email_count();
  Recipients found(emails);
  const std::uint32_t* begin = s.email_contacts_begin.data();
  const std::uint32_t* contacts = s.email_contacts.data();
  const std::uint32_t* account_billing = s.email_contact_account_billing.data();
  const std::uint8_t* valid = s.email_valid.data();
  const PortalStatus* status = portal.status.data();
  const std::uint8_t* suppressed = portal.suppressed.data();
  RecipientRef* out = found.refs.data();
  std::size_t count = 0;
  for (std::size_t e = 0; e < emails; ++e) {
    std::uint32_t rep = none;
    for (std::uint32_t k = begin[e + 1]; k > begin[e]; --k) {
      const std::uint32_t contact = contacts[k - 1];  // loaded either way, so the select needs no branch
      rep = candidates.contains(account_billing[k - 1]) ? contact : rep;
    }
    const bool recipient = valid[e] && rep != none;
    out[count] = {static_cast<std::uint32_t>(e), rep};  // in bounds: count <= e
    count += recipient;
    found.per_group[group_index(status[e], suppressed[e])] += recipient;
  }
  found.count = count;
  return found;
}

// Splits the recipients by group, each keeping address order (digest order).
void fill_groups(const Recipients& recipients, const PortalColumns& portal, Evaluation& result) {
  std::array<RecipientRef*, all_groups.size()> next{};
  for (Group group : all_groups) {
    const auto g = static_cast<std::size_t>(group);
    result.counts.of(group) = recipients.per_group[g];
    result.groups[g].resize(recipients.per_group[g]);
    next[g] = result.groups[g].data();
  }
  for (std::size_t i = 0; i < recipients.count; ++i) {
    const RecipientRef ref = recipients.refs[i];
    *next[group_index(portal.status[ref.email], portal.suppressed[ref.email])]++ = ref;
  }
}

// "<group name>\t", zero-padded to a fixed size for digest_of's copies.
struct LinePrefix {
  static constexpr std::size_t size_limit = 32;
  explicit LinePrefix(Group group) {
    const std::string_view name = group_name(group);
    std::memcpy(bytes, name.data(), name.size());
    bytes[name.size()] = '\t';
    size = name.size() + 1;
  }
  static_assert(sizeof "pending_invites\t" <= size_limit);  // the longest group name, with its tab
  char bytes[size_limit] = {};
  std::size_t size;
};

// The digest's lines ("<group>\t<email>\n", as DigestBuilder::add forms
// them) are formed here in a buffer and handed over in large blocks: one call
// per recipient costs more than the hashing in WebAssembly. Both pieces of a
// line are copied as one fixed-size block (plain loads and stores, where a
// memcpy of unknown length is a call; in WebAssembly a memory.copy that costs
// more than the few bytes it moves). Such a copy runs past the piece: the
// buffer keeps room for that, and longer addresses, or one too close to the
// end of the address column to be read past, are copied exactly. The loop
// state is in locals: byte stores may alias any member, which would be
// reloaded after each one.
std::string digest_of(const Snapshot& s, const Evaluation& result) {
  constexpr std::size_t block = 1 << 16, word = LinePrefix::size_limit;
  DigestBuilder digest;
  Scratch<char> buffer(block);
  char* const lines = buffer.data();
  const char* const addresses = s.email.bytes().data();
  const char* const addresses_end = addresses + s.email.bytes().size();
  const std::uint32_t* const offsets = s.email.offsets().data();
  std::size_t used = 0;
  for (Group group : all_groups) {
    if (!is_mailed(group)) continue;
    const LinePrefix prefix(group);
    for (const RecipientRef& ref : result.groups[static_cast<std::size_t>(group)]) {
      const char* const email = addresses + offsets[ref.email];
      const std::size_t length = offsets[ref.email + 1] - offsets[ref.email];
      const std::size_t line = prefix.size + length + 1;
      if (used + line + word > block) {
        digest.add_lines(std::string_view(lines, used));
        used = 0;
      }
      if (line + word > block) {  // cannot happen for a valid address; kept exact anyway
        digest.add(group, std::string_view(email, length));
        continue;
      }
      char* out = lines + used;
      std::memcpy(out, prefix.bytes, word);
      out += prefix.size;
      if (length <= word && email + word <= addresses_end)
        std::memcpy(out, email, word);
      else
        std::memcpy(out, email, length);
      out[length] = '\n';
      used += line;
    }
  }
  digest.add_lines(std::string_view(lines, used));
  return digest.finish();
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool contains_ignoring_case(std::string_view text, std::string_view lowered_needle) {
  if (lowered_needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + lowered_needle.size() <= text.size(); ++i) {
    std::size_t k = 0;
    while (k < lowered_needle.size() && lower_ascii(text[i + k]) == lowered_needle[k]) ++k;
    if (k == lowered_needle.size()) return true;
  }
  return false;
}

}  // namespace

Evaluation evaluate(const Snapshot& s, const Filter& f) { return evaluate(s, f, portal_columns(s)); }

Evaluation evaluate(const Snapshot& s, const Filter& f, const PortalColumns& portal) {
  const CandidateKeys candidates(s, f);
  Evaluation result;
  result.skipped_contacts = skipped_contacts(s, candidates);
  result.counts.skipped_invalid_email = result.skipped_contacts.size();
  fill_groups(find_recipients(s, candidates, portal), portal, result);
  result.digest = digest_of(s, result);
  return result;
}

namespace {

template <auto member>
bool less_by(const RecipientView& a, const RecipientView& b) {
  return a.*member < b.*member;
}

// Each sort column's name in the API and its order, in SortColumn's order.
struct SortColumnInfo {
  std::string_view name;
  bool (*less)(const RecipientView&, const RecipientView&);
};
constexpr std::array<SortColumnInfo, all_sort_columns.size()> sort_column_infos{{
    {"email", less_by<&RecipientView::email>},
    {"first_name", less_by<&RecipientView::first_name>},
    {"last_name", less_by<&RecipientView::last_name>},
    {"account_number", less_by<&RecipientView::account_number>},
    {"account_name", less_by<&RecipientView::account_name>},
    {"contact_id", less_by<&RecipientView::contact_id>},
    {"last_invited_at", less_by<&RecipientView::last_invited_at>},
}};

const SortColumnInfo& sort_column_info(SortColumn column) {
  return sort_column_infos[static_cast<std::size_t>(column)];
}

}  // namespace

RecipientList to_recipient_list(const Snapshot& s, const Evaluation& evaluation) {
  RecipientList list;
  list.counts = evaluation.counts;
  list.digest = evaluation.digest;
  for (Group group : all_groups)
    for (const RecipientRef& ref : evaluation.groups[static_cast<std::size_t>(group)])
      list.rows.push_back({group, std::string(s.email[ref.email]), s.contact_id[ref.contact]});
  return list;
}

std::string_view sort_column_name(SortColumn column) { return sort_column_info(column).name; }

std::optional<SortColumn> parse_sort_column(std::string_view name) {
  for (const SortColumn column : all_sort_columns)
    if (sort_column_name(column) == name) return column;
  return std::nullopt;
}

RecipientView recipient_view(const Snapshot& s, const RecipientRef& ref) {
  return recipient_view(s, ref, portal_columns(s));
}

RecipientView recipient_view(const Snapshot& s, const RecipientRef& ref, const PortalColumns& portal) {
  std::uint32_t account = s.contact_account[ref.contact];
  return {s.email[ref.email],
          s.contact_first_name[ref.contact],
          s.contact_last_name[ref.contact],
          s.account_number[account],
          s.account_name[account],
          s.contact_id[ref.contact],
          portal.last_invited_at[ref.email]};
}

namespace {

bool matches_query(const RecipientView& view, std::string_view lowered_needle) {
  return lowered_needle.empty() || contains_ignoring_case(view.email, lowered_needle) ||
         contains_ignoring_case(view.first_name, lowered_needle) ||
         contains_ignoring_case(view.last_name, lowered_needle) ||
         contains_ignoring_case(view.account_number, lowered_needle) ||
         contains_ignoring_case(view.account_name, lowered_needle);
}

// Sorts by the requested column, ties broken by `tie_less` (a unique key, so
// every order is total and paging is stable), and cuts out the page. Rows
// that arrive in the requested order already are not sorted again.
template <typename TieLess>
RecipientPage sort_and_page(std::vector<RecipientView> rows, const PageRequest& request, bool in_requested_order,
                            TieLess tie_less) {
  const auto key_less = sort_column_info(request.sort).less;
  auto less = [&](const RecipientView& a, const RecipientView& b) {
    if (key_less(a, b)) return !request.descending;
    if (key_less(b, a)) return request.descending;
    return request.descending ? tie_less(b, a) : tie_less(a, b);
  };
  RecipientPage page;
  page.total = rows.size();
  std::size_t begin = std::min(request.offset, rows.size());
  std::size_t end = begin + std::min(request.limit, rows.size() - begin);
  if (!in_requested_order)
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(end), rows.end(), less);
  page.rows.assign(rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.begin() + static_cast<std::ptrdiff_t>(end));
  return page;
}

std::string lowered(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(lower_ascii(c));
  return out;
}

}  // namespace

RecipientPage page_recipients(const Snapshot& s, const Evaluation& evaluation, const PageRequest& request) {
  return page_recipients(s, evaluation, request, portal_columns(s));
}

bool pages_in_stored_order(const PageRequest& request) {
  return request.query.empty() && request.sort == SortColumn::email && !request.descending;
}

RecipientPage page_recipients(const Snapshot& s, const Evaluation& evaluation, const PageRequest& request,
                              const PortalColumns& portal) {
  const auto& members = evaluation.groups[static_cast<std::size_t>(request.group)];
  const std::string needle = lowered(request.query);
  // Members are sorted by address, which is unique among recipients.
  const bool in_order = request.sort == SortColumn::email && !request.descending;
  if (pages_in_stored_order(request)) {  // the default view: only the page's rows are built (no list of them all)
    RecipientPage page;
    page.total = members.size();
    const std::size_t begin = std::min(request.offset, members.size());
    const std::size_t end = begin + std::min(request.limit, members.size() - begin);
    page.rows.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) page.rows.push_back(recipient_view(s, members[i], portal));
    return page;
  }
  std::vector<RecipientView> rows;
  rows.reserve(needle.empty() ? members.size() : 0);
  for (const RecipientRef& ref : members) {
    RecipientView view = recipient_view(s, ref, portal);
    if (matches_query(view, needle)) rows.push_back(view);
  }
  return sort_and_page(std::move(rows), request, in_order,
                       [](const RecipientView& a, const RecipientView& b) { return a.email < b.email; });
}

RecipientPage page_skipped_contacts(const Snapshot& s, const Evaluation& evaluation, const PageRequest& request) {
  const std::string needle = lowered(request.query);
  std::vector<RecipientView> rows;
  for (const std::uint32_t contact : evaluation.skipped_contacts) {
    const std::uint32_t account = s.contact_account[contact];
    const std::uint32_t email = s.contact_email[contact];
    RecipientView view{email == no_email ? std::string_view() : s.email[email],
                       s.contact_first_name[contact],
                       s.contact_last_name[contact],
                       s.account_number[account],
                       s.account_name[account],
                       s.contact_id[contact],
                       0};
    if (matches_query(view, needle)) rows.push_back(view);
  }
  // Skipped contacts are in contact id order; an invalid address may repeat.
  const bool in_order = request.sort == SortColumn::contact_id && !request.descending;
  return sort_and_page(std::move(rows), request, in_order,
                       [](const RecipientView& a, const RecipientView& b) { return a.contact_id < b.contact_id; });
}

}  // namespace invites
