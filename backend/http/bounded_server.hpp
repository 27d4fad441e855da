#pragma once
// cpp-httplib's server (httplib::SSLServer with TLS) with limits on what one
// client can hold: each connection is a BoundedStream (a deadline for every
// request's head and body, a byte budget for its head), served by a
// ConnectionQueue (a fixed number of workers, a bounded wait for one, 503
// beyond it). The library still parses HTTP, bounds bodies of every transfer
// encoding (set_payload_max_length) and the number and length of header
// lines; admit_request() and explain_unread_request() turn the failures into
// the right answers.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>

#include <httplib.h>

namespace invites::http {

struct ConnectionLimits {
  std::size_t workers = 64;       // connections served at once
  std::size_t max_waiting = 512;  // accepted connections waiting for a worker; more are answered 503
  // From the first byte of a request to the last byte of its body.
  std::chrono::milliseconds receive_timeout{10'000};
  std::size_t max_head_bytes = 32 * 1024;  // request line and headers
};

struct TlsFiles {
  std::filesystem::path certificate;  // PEM, may include the chain
  std::filesystem::path private_key;  // PEM
};

// Throws std::invalid_argument for TLS files that cannot be used.
std::unique_ptr<httplib::Server> make_bounded_server(const ConnectionLimits& limits,
                                                     const std::optional<TlsFiles>& tls);

// The pre-routing check, once a request's head has arrived: 503 on a
// connection that is served only to be refused, 415 for a compressed body
// (never decompressed: a small gzip body would inflate far past the limit),
// 413 for a Content-Length over `max_body_bytes` (before any of it is read).
// Handled when it answered; the connection then closes after the answer.
httplib::Server::HandlerResponse admit_request(const httplib::Request& request, httplib::Response& response,
                                               std::size_t max_body_bytes);

// For cpp-httplib's own 400 or 413 to a request it could not read (the
// connection then closes after the answer): 408 when its head or body did
// not arrive in time, 431 when its head was too large (too many or too long
// header lines). False when the answer stays as it is.
bool explain_unread_request(const httplib::Request& request, httplib::Response& response);

}  // namespace invites::http
