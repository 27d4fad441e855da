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

// A membership table for one id list of the filter: ids are small dense
// lookup keys, so a byte vector beats hashing in the per-account loop.
class IdSet {
 public:
  explicit IdSet(const std::vector<Id>& ids) : any_(ids.empty()) {
    for (Id id : ids) {
      if (id >= member_.size()) member_.resize(std::size_t{id} + 1, 0);
      member_[id] = 1;
    }
  }
  bool any() const { return any_; }
  bool contains(Id id) const { return id < member_.size() && member_[id]; }
  bool admits(Id id) const { return any_ || contains(id); }

 private:
  bool any_;
  std::vector<std::uint8_t> member_;
};

Scratch<std::uint8_t> matching_accounts(const Snapshot& s, const Filter& f) {
  IdSet divisions(f.division_ids), classes(f.account_class_ids), bill_groups(f.bill_group_ids),
      sources(f.account_source_ids), site_sources(f.site_source_ids);
  std::uint8_t required_flags = 0, forbidden_flags = 0;
  if (f.active_service_only) required_flags |= account_flag::has_active_service;
  if (f.balance_due_only) required_flags |= account_flag::balance_due;
  if (f.without_autopay_only) forbidden_flags |= account_flag::autopay;

  Scratch<std::uint8_t> match(s.account_count());
  for (std::size_t a = 0; a < match.size(); ++a) {
    std::uint8_t flags = s.account_flags[a];
    bool ok = (flags & required_flags) == required_flags && (flags & forbidden_flags) == 0 &&
              divisions.admits(s.account_division[a]) && classes.admits(s.account_class[a]) &&
              bill_groups.admits(s.account_bill_group[a]) && sources.admits(s.account_source[a]);
    if (ok && !site_sources.any()) {
      ok = false;
      for (std::uint32_t k = s.site_source_begin[a]; k < s.site_source_begin[a + 1] && !ok; ++k)
        ok = site_sources.contains(s.site_source_ids[k]);
    }
    match[a] = ok;
  }
  return match;
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
  const Scratch<std::uint8_t> account_match = matching_accounts(s, f);
  constexpr std::uint32_t unset = 0xFFFFFFFFu;
  // Pass 1, in contact order: which contacts are candidates, and which of
  // those have no valid address (skipped). Branch-free over presized arrays:
  // no allocation (and so no possible throw) inside the loop.
  enum : std::uint8_t { not_candidate = 0, with_valid_email = 1, with_invalid_email = 2 };
  Scratch<std::uint8_t> candidate(s.contact_count());
  const bool billing_only = f.billing_contacts_only;
  std::size_t skipped = 0;
  const std::uint8_t* valid_of = s.contact_email_valid.data();
  for (std::size_t c = 0; c < s.contact_count(); ++c) {
    const bool selected = account_match[s.contact_account[c]] && (!billing_only || s.contact_is_billing[c]);
    const bool valid = valid_of[c] != 0;  // per contact: a sequential read, not a lookup by address
    candidate[c] = static_cast<std::uint8_t>(selected ? (valid ? with_valid_email : with_invalid_email) : not_candidate);
    skipped += selected && !valid;
  }
  Evaluation result;
  result.counts.skipped_invalid_email = skipped;
  result.skipped_contacts.resize(skipped);
  for (std::size_t c = 0, k = 0; k < skipped; ++c)
    if (candidate[c] == with_invalid_email) result.skipped_contacts[k++] = static_cast<std::uint32_t>(c);

  // Pass 2, in address order: an address is a recipient when one of its
  // contacts is a candidate; its contacts are in ascending id order, so the
  // first candidate is the lowest-id representative. Branch-free (selects,
  // walking each address's contacts backwards so the lowest candidate wins):
  // most addresses have one contact, and independent loads overlap.
  static constexpr std::uint8_t group_of_status[4] = {0, 1, 2, 2};  // group_for(PortalStatus)
  static_assert(group_of_status[static_cast<int>(PortalStatus::none)] == static_cast<int>(group_for(PortalStatus::none)) &&
                group_of_status[static_cast<int>(PortalStatus::invited)] == static_cast<int>(group_for(PortalStatus::invited)) &&
                group_of_status[static_cast<int>(PortalStatus::active)] == static_cast<int>(group_for(PortalStatus::active)) &&
                group_of_status[static_cast<int>(PortalStatus::disabled)] == static_cast<int>(group_for(PortalStatus::disabled)));
  const std::size_t emails = s.email_count();
  Scratch<std::uint32_t> representative(emails);
  std::array<std::uint64_t, 3> group_counts{};
  {
    const std::uint32_t* begin = s.email_contacts_begin.data();
    const std::uint32_t* contacts = s.email_contacts.data();
    const std::uint8_t* cand = candidate.data();
    const PortalStatus* status = portal.status.data();
    for (std::size_t e = 0; e < emails; ++e) {
      std::uint32_t rep = unset;
      for (std::uint32_t k = begin[e + 1]; k > begin[e]; --k) {
        const std::uint32_t c = contacts[k - 1];
        rep = cand[c] == with_valid_email ? c : rep;
      }
      representative[e] = rep;
      group_counts[group_of_status[static_cast<std::uint8_t>(status[e]) & 3]] += rep != unset;
    }
  }
  std::array<RecipientRef*, 3> next{};
  for (Group group : all_groups) {
    const auto g = static_cast<std::size_t>(group);
    result.counts.of(group) = group_counts[g];
    auto& members = result.groups[g];
    members.resize(group_counts[g]);
    next[g] = members.data();
  }
  // Addresses are sorted, so each group comes out in digest order. Branch-free:
  // a non-recipient is written to a scratch slot.
  {
    RecipientRef scratch{};
    const PortalStatus* status = portal.status.data();
    for (std::size_t e = 0; e < emails; ++e) {
      const std::uint32_t rep = representative[e];
      const std::size_t g = group_of_status[static_cast<std::uint8_t>(status[e]) & 3];
      const bool member = rep != unset;
      RecipientRef* out = member ? next[g] : &scratch;
      *out = {static_cast<std::uint32_t>(e), rep};
      next[g] += member;
    }
  }

  // The digest's lines are formed here in a buffer and handed over in large
  // blocks (one call per recipient costs more than the hashing in WebAssembly).
  DigestBuilder digest;
  constexpr std::size_t block = 1 << 16;
  Scratch<char> lines(block);
  std::size_t used = 0;
  for (Group group : all_groups) {
    if (!is_mailed(group)) continue;
    const std::string_view name = group_name(group);
    for (const RecipientRef& ref : result.groups[static_cast<std::size_t>(group)]) {
      const std::string_view email = s.email[ref.email];
      const std::size_t line = name.size() + email.size() + 2;
      if (used + line > block) {
        digest.add_lines(std::string_view(lines.data(), used));
        used = 0;
      }
      if (line > block) {  // cannot happen for a valid address; kept exact anyway
        digest.add(group, email);
        continue;
      }
      char* out = lines.data() + used;
      std::memcpy(out, name.data(), name.size());
      out[name.size()] = '\t';
      std::memcpy(out + name.size() + 1, email.data(), email.size());
      out[line - 1] = '\n';
      used += line;
    }
  }
  digest.add_lines(std::string_view(lines.data(), used));
  result.digest = digest.finish();
  return result;
}

RecipientList to_recipient_list(const Snapshot& s, const Evaluation& evaluation) {
  RecipientList list;
  list.counts = evaluation.counts;
  list.digest = evaluation.digest;
  for (Group group : all_groups)
    for (const RecipientRef& ref : evaluation.groups[static_cast<std::size_t>(group)])
      list.rows.push_back({group, std::string(s.email[ref.email]), s.contact_id[ref.contact]});
  return list;
}

std::string_view sort_column_name(SortColumn column) {
  switch (column) {
    case SortColumn::email: return "email";
    case SortColumn::first_name: return "first_name";
    case SortColumn::last_name: return "last_name";
    case SortColumn::account_number: return "account_number";
    case SortColumn::account_name: return "account_name";
    case SortColumn::contact_id: return "contact_id";
    case SortColumn::last_invited_at: return "last_invited_at";
  }
  return "email";
}

std::optional<SortColumn> parse_sort_column(std::string_view name) {
  for (auto column : {SortColumn::email, SortColumn::first_name, SortColumn::last_name, SortColumn::account_number,
                      SortColumn::account_name, SortColumn::contact_id, SortColumn::last_invited_at})
    if (sort_column_name(column) == name) return column;
  return std::nullopt;
}

RecipientView recipient_view(const Snapshot& s, const RecipientRef& ref) {
  return recipient_view(s, ref, portal_columns(s));
}

RecipientView recipient_view(const Snapshot& s, const RecipientRef& ref, const PortalColumns& portal) {
  std::uint32_t account = s.contact_account[ref.contact];
  return {s.email[ref.email],          s.contact_first_name[ref.contact], s.contact_last_name[ref.contact],
          s.account_number[account],   s.account_name[account],           s.contact_id[ref.contact],
          portal.last_invited_at[ref.email]};
}

namespace {

bool matches_query(const RecipientView& view, std::string_view lowered_needle) {
  return lowered_needle.empty() || contains_ignoring_case(view.email, lowered_needle) ||
         contains_ignoring_case(view.first_name, lowered_needle) || contains_ignoring_case(view.last_name, lowered_needle) ||
         contains_ignoring_case(view.account_number, lowered_needle) ||
         contains_ignoring_case(view.account_name, lowered_needle);
}

// Sorts by the requested column, ties broken by `tie_less` (a unique key, so
// every order is total and paging is stable), and cuts out the page. Rows
// that arrive in the requested order already are not sorted again.
template <typename TieLess>
RecipientPage sort_and_page(std::vector<RecipientView> rows, const PageRequest& request, bool in_requested_order,
                            TieLess tie_less) {
  auto key_less = [&](const RecipientView& a, const RecipientView& b) -> bool {
    switch (request.sort) {
      case SortColumn::email: return a.email < b.email;
      case SortColumn::first_name: return a.first_name < b.first_name;
      case SortColumn::last_name: return a.last_name < b.last_name;
      case SortColumn::account_number: return a.account_number < b.account_number;
      case SortColumn::account_name: return a.account_name < b.account_name;
      case SortColumn::contact_id: return a.contact_id < b.contact_id;
      case SortColumn::last_invited_at: return a.last_invited_at < b.last_invited_at;
    }
    return false;
  };
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

RecipientPage page_recipients(const Snapshot& s, const Evaluation& evaluation, const PageRequest& request,
                              const PortalColumns& portal) {
  const auto& members = evaluation.groups[static_cast<std::size_t>(request.group)];
  const std::string needle = lowered(request.query);
  // Members are sorted by address, which is unique among recipients.
  const bool in_order = request.sort == SortColumn::email && !request.descending;
  if (needle.empty() && in_order) {  // the default view: only the page's rows are built (no list of them all)
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
