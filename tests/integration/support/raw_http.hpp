#pragma once
// HTTP over a plain TCP socket, byte by byte as a client (or an attacker)
// writes it: for tests of what a well-behaved client library never sends
// (chunked floods, a million headers, one header line every two seconds,
// bursts of connections).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace invites::testing {

// The status and headers of an answer as read from the socket.
struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;  // whatever followed the head before the server closed or the read ended
  bool has_header(std::string_view name_and_value) const;  // case-insensitive substring of the head
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all bytes; false once the server has closed or reset the connection.
  bool send(std::string_view bytes);
  // Reads until a complete head (and the body of its Content-Length) has
  // arrived, the server closes, or `timeout` passes. nullopt: no status line
  // arrived (the connection was closed or reset without an answer, or it timed out).
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout);
  // True when the server closed the connection (EOF or reset) within `timeout`.
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string buffered_;
};

// One HTTP/1.1 request head with Host and Connection: close, plus a body.
std::string raw_request(std::string_view method, std::string_view path, std::string_view extra_headers = {},
                        std::string_view body = {});

}  // namespace invites::testing
