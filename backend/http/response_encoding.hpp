#pragma once
// The server chooses every response's content coding itself (issue 15).
// cpp-httplib would compress text and JSON bodies on its own, with brotli at
// its slowest quality whenever a client offers it (about 1 MB/s of a core):
// take_over_content_coding() hides Accept-Encoding from it before routing,
// and the server then codes
//   - buffered bodies after their handler (encode_buffered_body), and
//   - streamed bodies as they are produced (stream_body),
// at levels whose cost grows with the size (content_coding.hpp).
#include <exception>
#include <functional>
#include <string>
#include <string_view>

#include <httplib.h>

#include "http/content_coding.hpp"

namespace invites::http {

// Pre-routing: moves the request's Accept-Encoding where cpp-httplib does not
// look (accepted_codings() reads it from there).
void take_over_content_coding(const httplib::Request& request);

// What the client of `request` admits.
AcceptedCodings accepted_codings(const httplib::Request& request);

// Adds Accept-Encoding to the response's Vary header (once).
void vary_on_accept_encoding(httplib::Response& response);

// Post-routing: compresses a body of a compressible type that no handler
// has coded, as dynamic_encoding() chooses, and fixes Content-Length.
void encode_buffered_body(const httplib::Request& request, httplib::Response& response);

// Hands one piece of a streamed body on; false once the client has gone
// (the producer should stop then, or throw ClientGone).
using BodyWriter = std::function<bool(std::string_view piece)>;
// Produces a whole body through `write`, in pieces of any size.
using BodyProducer = std::function<void(const BodyWriter& write)>;
// Thrown by a producer to stop at once after `write` returned false.
struct ClientGone : std::exception {
  const char* what() const noexcept override { return "the client closed the connection"; }
};

// Sends what `produce` writes with chunked transfer, compressed on the way as
// the client admits (dynamic_encoding, at the levels of `use`), so that
// neither the body nor its compressed form is ever whole in memory. `produce` runs after the handler
// has returned: it must own (or share) everything it reads. An exception
// from it ends the response early (the client sees a truncated body).
void stream_body(const httplib::Request& request, httplib::Response& response, const std::string& content_type,
                 BodyProducer produce, BodyUse use = BodyUse::per_request);

}  // namespace invites::http
