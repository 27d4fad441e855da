#pragma once
// API calls for the session, send, jobs and setup actions: building a
// request, reading answers (nlohmann::json) with tolerant field access, and
// the API's error object.

#include "app/fetcher.hpp"

#include <invites/recipients.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace invites::app::api {

using nlohmann::json;

// How long an API call waits for its answer unless it says otherwise.
constexpr int api_timeout_ms = 15000;
// A call to the API; `body` is JSON text (empty: none).
FetchRequest request(std::string method, std::string url, std::string body = {}, int timeout_ms = api_timeout_ms);

// {"error":{"code","message","field"?,"line"?}}; empty parts when absent.
struct Error {
  std::string code;
  std::string message;
  std::string field;
  int line = 0;
};

std::optional<json> parse(const std::string& text);           // nullopt when not JSON
std::optional<json> parse_object(const FetchResult& result);  // the body when it is a JSON object
Error error_of(const FetchResult& result);

std::string str(const json& object, const char* key);    // "" when missing or not a string
std::uint64_t u64(const json& object, const char* key);  // 0 when missing or not an unsigned number
std::int64_t i64(const json& object, const char* key);   // 0 when missing or not an integer
bool boolean(const json& object, const char* key, bool fallback);
const json* member_object(const json& object, const char* key);                // nullptr when missing or not an object
const json* member_array(const json& object, const char* key);                 // nullptr when missing or not an array
std::optional<std::string> nullable_str(const json& object, const char* key);  // nullopt for null / missing / ""
// The counts of a Load under `key`, read by common/'s counts_from_json;
// nullopt when missing or when any count is missing or not a count.
std::optional<Counts> counts_member(const json& object, const char* key);

// "Server unreachable: <reason>" for a call without an API answer.
std::string unreachable_message(const FetchResult& result);
// What failure_message shows when the server sent an error without a message.
enum class Fallback {
  with_status,  // "<fallback> (HTTP 500)"
  as_is,        // the fallback alone: it already says what the status means
};
// The message to show for a failed call: the server's message when it sent
// one, else `fallback`; without an API answer (no response, proxy page)
// "Server unreachable: …".
std::string failure_message(const FetchResult& result, const std::string& fallback,
                            Fallback shown = Fallback::with_status);

}  // namespace invites::app::api
