#include "http/api_error.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

namespace invites::http {

void send_error(httplib::Response& response, int status, std::string_view code, std::string_view message,
                const std::optional<std::string>& field) {
  nlohmann::json error{{"code", code}, {"message", message}};
  if (field) error["field"] = *field;
  send_json(response, nlohmann::json{{"error", error}}, status);
}

void send_recipients_changed(httplib::Response& response, const Counts& counts, const std::string& digest) {
  const std::string message = "the recipients changed since Load (" + std::to_string(counts.new_users) +
                              " new users, " + std::to_string(counts.pending_invites) +
                              " pending invites now): press Load again";
  send_json(response,
            {{"error", {{"code", "digest_mismatch"}, {"message", message}}},
             {"counts", counts_to_json(counts)},
             {"digest", digest}},
            409);
}

nlohmann::json parse_json_object(const httplib::Request& request) {
  // A form or a text/plain body can be sent from any site without a CORS
  // preflight; a JSON body cannot.
  std::string media_type = request.get_header_value("Content-Type");
  media_type = media_type.substr(0, media_type.find(';'));
  std::erase(media_type, ' ');
  std::transform(media_type.begin(), media_type.end(), media_type.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (media_type != "application/json") {
    throw ApiError(415, "unsupported_media_type", "the request body must be JSON (Content-Type: application/json)");
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) throw ApiError(400, "invalid_json", "the request body is not valid JSON");
  if (!body.is_object()) throw ApiError(400, "invalid_json", "the request body must be a JSON object");
  return body;
}

void send_json(httplib::Response& response, const nlohmann::json& body, int status) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

}  // namespace invites::http
