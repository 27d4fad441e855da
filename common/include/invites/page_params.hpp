#pragma once
// Query parameters of the API's paged lists (docs/design.md §5: a preview's recipients,
// a job's recipients, the audit log): page sizes and unsigned numbers, read
// the same way by the server and by the browser's offline preview, with
// errors (ValidationError) that name the parameter.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace invites {

inline constexpr std::size_t default_page_rows = 100;
inline constexpr std::size_t max_page_rows = 1000;
inline constexpr std::size_t max_page_offset = 0xffffffff;

// A query parameter's value; nullopt when the query does not have it.
using QueryParam = std::function<std::optional<std::string>(std::string_view name)>;

// The parameter as an integer from min to max, `fallback` when absent.
std::size_t count_param(const QueryParam& param, std::string_view name, std::size_t fallback, std::size_t min,
                        std::size_t max);

struct PageWindow {
  std::size_t offset = 0;
  std::size_t limit = default_page_rows;
};
// offset (0 to max_page_offset, default 0) and limit (1 to max_page_rows,
// default default_page_rows).
PageWindow parse_page_window(const QueryParam& param);

}  // namespace invites
