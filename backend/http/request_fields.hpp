#pragma once
// Reading fields of a JSON request body with errors that name the field
// (docs/design.md §5): unknown keys, missing fields and wrong types are 400.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "invites/page_params.hpp"

namespace invites::http {

// `text` without the spaces and tabs around it: HTTP's optional whitespace
// around list items and parameters (RFC 9110 §5.6.3).
std::string_view trim_optional_whitespace(std::string_view text);

// 400 for a key that is not in `allowed`.
void reject_unknown_keys(const nlohmann::json& body, std::initializer_list<std::string_view> allowed);
// A positive integer id (at most 2^32 - 1).
std::uint32_t required_id(const nlohmann::json& body, const std::string& field);
std::string required_string(const nlohmann::json& body, const std::string& field);
// nullopt when absent or null.
std::optional<std::string> optional_string(const nlohmann::json& body, const std::string& field);
std::optional<bool> optional_bool(const nlohmann::json& body, const std::string& field);
// A positive integer id from a URL path segment (404 "not_found" otherwise, naming `what`).
std::uint64_t path_id(const std::string& text, const std::string& what);

// The request's query parameters, for the readers of common/ (invites/page_params.hpp).
QueryParam query_params(const httplib::Request& request);
// An unsigned query parameter from min to max, `fallback` when absent (400 naming it otherwise).
std::size_t query_count(const httplib::Request& request, const char* name, std::size_t fallback, std::size_t min,
                        std::size_t max);

}  // namespace invites::http
