#pragma once
// Errors of the JSON API (docs/design.md §5): handlers throw ApiError (or
// invites::ValidationError for bad input, 400), and the server turns every
// error into {"error":{"code","message"[,"field"]}} with the right status.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json_fwd.hpp>

#include "invites/recipients.hpp"

namespace invites::http {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::optional<std::string> field = std::nullopt)
      : std::runtime_error(message), status_(status), code_(std::move(code)), field_(std::move(field)) {}
  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }
  const std::optional<std::string>& field() const noexcept { return field_; }

 private:
  int status_;
  std::string code_;
  std::optional<std::string> field_;
};

// Writes the JSON error body and status.
void send_error(httplib::Response& response, int status, std::string_view code, std::string_view message,
                const std::optional<std::string>& field = std::nullopt);

// 409 "digest_mismatch": the recipients of a Load changed since (docs/design.md §5),
// with their counts and digest now, so the app can say what changed.
void send_recipients_changed(httplib::Response& response, const Counts& counts, const std::string& digest);

// The request body as a JSON object; malformed JSON or another type is a 400
// ApiError ("invalid_json"), another Content-Type than application/json 415.
nlohmann::json parse_json_object(const httplib::Request& request);

// Writes `body` as application/json with the given status.
void send_json(httplib::Response& response, const nlohmann::json& body, int status = 200);

}  // namespace invites::http
