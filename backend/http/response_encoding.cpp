#include "http/response_encoding.hpp"

#include <memory>

#include <spdlog/spdlog.h>

#include "http/compressor.hpp"
#include "http/request_log.hpp"

namespace invites::http {
namespace {

// The request header that holds the client's Accept-Encoding once
// take_over_content_coding() has moved it: cpp-httplib reads only the standard name.
constexpr const char* moved_accept_encoding = "Invites-Accept-Encoding";

bool has_token(const std::string& list, std::string_view token) {
  std::string_view rest = list;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.size() == token.size() && std::equal(item.begin(), item.end(), token.begin(),
                                                  [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

void replace_header(httplib::Response& response, const std::string& name, const std::string& value) {
  response.headers.erase(name);
  response.set_header(name, value);
}

}  // namespace

void take_over_content_coding(const httplib::Request& request) {
  // The request object is cpp-httplib's own, not const; routing hands it out
  // as const only. A client's own Invites-Accept-Encoding header is dropped.
  auto& headers = const_cast<httplib::Headers&>(request.headers);
  const auto value = request.get_header_value("Accept-Encoding");
  headers.erase(moved_accept_encoding);
  headers.erase("Accept-Encoding");
  if (!value.empty()) headers.emplace(moved_accept_encoding, value);
}

AcceptedCodings accepted_codings(const httplib::Request& request) {
  return parse_accept_encoding(request.get_header_value(moved_accept_encoding));
}

void vary_on_accept_encoding(httplib::Response& response) {
  const auto vary = response.get_header_value("Vary");
  if (vary.empty()) return response.set_header("Vary", "Accept-Encoding");
  if (!has_token(vary, "Accept-Encoding")) replace_header(response, "Vary", vary + ", Accept-Encoding");
}

void encode_buffered_body(const httplib::Request& request, httplib::Response& response) {
  // Byte ranges refer to the body as it is.
  if (response.body.empty() || response.has_header("Content-Encoding") || request.has_header("Range") ||
      response.has_header("Content-Range") || !is_compressible_type(response.get_header_value("Content-Type")))
    return;
  if (response.body.size() >= min_compressed_size) vary_on_accept_encoding(response);
  const auto encoding = dynamic_encoding(accepted_codings(request), response.body.size());
  if (encoding.coding == ContentCoding::identity) return;
  response.body = compress(encoding, response.body);
  response.set_header("Content-Encoding", std::string(content_coding_name(encoding.coding)));
  // cpp-httplib may have set the length of the plain body already.
  if (response.has_header("Content-Length"))
    replace_header(response, "Content-Length", std::to_string(response.body.size()));
}

void stream_body(const httplib::Request& request, httplib::Response& response, const std::string& content_type,
                 BodyProducer produce, BodyUse use) {
  const auto encoding = dynamic_encoding(accepted_codings(request), std::nullopt, use);
  vary_on_accept_encoding(response);
  if (encoding.coding != ContentCoding::identity)
    response.set_header("Content-Encoding", std::string(content_coding_name(encoding.coding)));
  response.set_chunked_content_provider(
      content_type, [encoding, produce = std::move(produce)](std::size_t, httplib::DataSink& sink) {
        try {
          const auto compressor = make_compressor(encoding);
          std::string coded;
          // Compressed output goes out in chunks of at least this size.
          constexpr std::size_t chunk_size = 64 * 1024;
          const auto send = [&] {
            const bool sent = sink.write(coded.data(), coded.size());
            coded.clear();
            return sent;
          };
          produce([&](std::string_view piece) {
            compressor->write(piece, false, coded);
            return coded.size() < chunk_size || send();
          });
          compressor->write({}, true, coded);
          if (!coded.empty() && !send()) return false;
          sink.done();
          return true;
        } catch (const ClientGone&) {
          return false;
        } catch (const std::exception& e) {
          spdlog::error("request {}: streamed response failed: {}", current_request_id(), e.what());
          return false;
        }
      });
}

}  // namespace invites::http
