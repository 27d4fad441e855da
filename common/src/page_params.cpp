#include "invites/page_params.hpp"

#include <charconv>

#include "invites/error.hpp"

namespace invites {

std::size_t count_param(const QueryParam& param, std::string_view name, std::size_t fallback, std::size_t min,
                        std::size_t max) {
  const std::optional<std::string> text = param(name);
  if (!text) return fallback;
  std::size_t value = 0;
  const char* end = text->data() + text->size();
  const auto [stop, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc() || stop != end || value < min || value > max) {
    throw ValidationError(std::string(name),
                          "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

PageWindow parse_page_window(const QueryParam& param) {
  PageWindow window;
  window.offset = count_param(param, "offset", 0, 0, max_page_offset);
  window.limit = count_param(param, "limit", default_page_rows, 1, max_page_rows);
  return window;
}

}  // namespace invites
