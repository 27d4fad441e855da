#pragma once
// An enum's names as one table indexed by the enumerators' values (0, 1, ...),
// read in both directions.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace invites::detail {

// For a static_assert beside each table: a table sized by its enum's list
// but given too few names would leave the last ones empty.
template <std::size_t N>
constexpr bool all_named(const std::array<std::string_view, N>& names) noexcept {
  for (const std::string_view name : names)
    if (name.empty()) return false;
  return true;
}

template <typename Enum, std::size_t N>
constexpr std::string_view name_in(const std::array<std::string_view, N>& names, Enum value) noexcept {
  return names[static_cast<std::size_t>(value)];
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view name) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace invites::detail
