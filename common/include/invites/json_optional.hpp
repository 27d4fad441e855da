#pragma once
// An optional value as JSON: the value, or null.
#include <optional>

#include <nlohmann/json.hpp>

namespace invites {

template <typename T>
nlohmann::json json_or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace invites
