#pragma once
// An enum's names (or UI texts) as one table indexed by the enumerators'
// values (0, 1, ...), read in both directions: one line per value instead of
// a switch per direction.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace invites::detail {

// For a static_assert beside each table: a table sized by its enum's list
// but given too few names would leave the last ones empty.
template <typename Text, std::size_t N>
constexpr bool all_named(const std::array<Text, N>& names) noexcept {
  for (const Text name : names)
    if (name == Text{} || std::string_view(name).empty()) return false;
  return true;
}

// Text is std::string_view or const char* (the frontend's C strings for ImGui).
template <typename Enum, typename Text, std::size_t N>
constexpr Text name_in(const std::array<Text, N>& names, Enum value) noexcept {
  return names[static_cast<std::size_t>(value)];
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view name) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace invites::detail
