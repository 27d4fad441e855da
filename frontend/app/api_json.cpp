#include "app/api_json.hpp"

#include <utility>

#include <invites/error.hpp>

namespace invites::app::api {

FetchRequest request(std::string method, std::string url, std::string body, int timeout_ms) {
  FetchRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = std::move(body);
  r.timeout_ms = timeout_ms;
  return r;
}

const json* member_object(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

std::optional<Counts> counts_member(const json& object, const char* key) {
  const json* counts = member_object(object, key);
  if (!counts) return std::nullopt;
  try {
    return counts_from_json(*counts, key);
  } catch (const ValidationError&) {
    return std::nullopt;
  }
}

const json* member_array(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? &*it : nullptr;
}

std::optional<json> parse(const std::string& text) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

std::optional<json> parse_object(const FetchResult& result) {
  std::optional<json> doc = parse(result.body);
  if (!doc || !doc->is_object()) return std::nullopt;
  return doc;
}

std::string str(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t u64(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

std::int64_t i64(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

bool boolean(const json& object, const char* key, bool fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::optional<std::string> nullable_str(const json& object, const char* key) {
  std::string value = str(object, key);
  if (value.empty()) return std::nullopt;
  return value;
}

Error error_of(const FetchResult& result) {
  Error error;
  const std::optional<json> body = parse_object(result);
  if (!body) return error;
  const auto it = body->find("error");
  if (it == body->end() || !it->is_object()) return error;
  error.code = str(*it, "code");
  error.message = str(*it, "message");
  error.field = str(*it, "field");
  error.line = static_cast<int>(i64(*it, "line"));
  return error;
}

std::string failure_message(const FetchResult& result, const std::string& fallback, Fallback shown) {
  const Error error = error_of(result);
  if (!error.message.empty()) return error.message;
  if (error.code.empty()) return unreachable_message(result);
  if (shown == Fallback::as_is) return fallback;
  return fallback + " (HTTP " + std::to_string(result.status) + ")";
}

std::string unreachable_message(const FetchResult& result) {
  std::string reason = result.error;
  if (reason.empty()) reason = result.status == 0 ? "no response" : "HTTP " + std::to_string(result.status);
  return "Server unreachable: " + reason;
}

}  // namespace invites::app::api
