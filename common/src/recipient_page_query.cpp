#include "invites/recipient_page_query.hpp"

#include "invites/error.hpp"

namespace invites {
namespace {

// "a, b or c": the values a parameter allows, for its error message.
template <typename Value, std::size_t N, typename Name>
std::string one_of(const std::array<Value, N>& values, Name name_of) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    out += i == 0 ? "" : i + 1 == N ? " or " : ", ";
    out += name_of(values[i]);
  }
  return out;
}

}  // namespace

RecipientPageQuery parse_recipient_page_query(const QueryParam& param) {
  RecipientPageQuery query;
  if (const auto name = param("group")) {
    const auto group = parse_count_group(*name);
    if (!group) throw ValidationError("group", "must be " + one_of(all_count_groups, count_group_name));
    query.group = *group;
  }
  if (const auto name = param("sort")) {
    const auto column = parse_sort_column(*name);
    if (!column) throw ValidationError("sort", "must be " + one_of(all_sort_columns, sort_column_name));
    query.page.sort = *column;
  }
  if (const auto order = param("order")) {
    if (*order != "asc" && *order != "desc") throw ValidationError("order", "must be asc or desc");
    query.page.descending = *order == "desc";
  }
  const PageWindow window = parse_page_window(param);
  query.page.offset = window.offset;
  query.page.limit = window.limit;
  query.page.query = param("q").value_or("");
  return query;
}

RecipientPage page_of(const Snapshot& snapshot, const Evaluation& evaluation, const RecipientPageQuery& query,
                      const PortalColumns& portal) {
  const std::optional<Group> group = recipient_group_of(query.group);
  if (!group) return page_skipped_contacts(snapshot, evaluation, query.page);
  PageRequest request = query.page;
  request.group = *group;
  return page_recipients(snapshot, evaluation, request, portal);
}

}  // namespace invites
