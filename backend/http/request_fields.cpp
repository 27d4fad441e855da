#include "http/request_fields.hpp"

#include <algorithm>
#include <charconv>

#include "http/api_error.hpp"

namespace invites::http {

std::string_view trim_optional_whitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

void reject_unknown_keys(const nlohmann::json& body, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string names;
      for (const auto name : allowed) names += (names.empty() ? "" : ", ") + std::string(name);
      throw ApiError(400, "invalid", key + ": unknown key (expected " + names + ")", key);
    }
  }
}

std::uint32_t required_id(const nlohmann::json& body, const std::string& field) {
  if (!body.contains(field)) throw ApiError(400, "invalid", field + ": missing", field);
  const auto& value = body[field];
  if (!value.is_number_integer() || value.get<std::int64_t>() <= 0 || value.get<std::int64_t>() > 0xffffffffLL) {
    throw ApiError(400, "invalid", field + ": must be a positive integer id", field);
  }
  return value.get<std::uint32_t>();
}

std::string required_string(const nlohmann::json& body, const std::string& field) {
  if (!body.contains(field)) throw ApiError(400, "invalid", field + ": missing", field);
  if (!body[field].is_string()) throw ApiError(400, "invalid", field + ": must be a string", field);
  return body[field].get<std::string>();
}

std::optional<std::string> optional_string(const nlohmann::json& body, const std::string& field) {
  if (!body.contains(field) || body[field].is_null()) return std::nullopt;
  return required_string(body, field);
}

std::optional<bool> optional_bool(const nlohmann::json& body, const std::string& field) {
  if (!body.contains(field) || body[field].is_null()) return std::nullopt;
  if (!body[field].is_boolean()) throw ApiError(400, "invalid", field + ": must be true or false", field);
  return body[field].get<bool>();
}

std::uint64_t path_id(const std::string& text, const std::string& what) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value == 0) {
    throw ApiError(404, "not_found", "no such " + what);
  }
  return value;
}

QueryParam query_params(const httplib::Request& request) {
  return [&request](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    if (!request.has_param(key.c_str())) return std::nullopt;
    return request.get_param_value(key.c_str());
  };
}

std::size_t query_count(const httplib::Request& request, const char* name, std::size_t fallback, std::size_t min,
                        std::size_t max) {
  return count_param(query_params(request), name, fallback, min, max);
}

}  // namespace invites::http
