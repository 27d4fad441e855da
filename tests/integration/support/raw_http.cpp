#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace invites::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The Content-Length of a head, or 0.
std::size_t content_length(const std::string& head) {
  const std::string lowered = lower(head);
  const auto at = lowered.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::stoul(lowered.substr(at + 17));
}

}  // namespace

bool RawResponse::has_header(std::string_view name_and_value) const {
  return lower(head).find(lower(name_and_value)) != std::string::npos;
}

RawConnection::RawConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const std::string reason = std::strerror(errno);
    close(fd_);
    throw std::runtime_error("connect to port " + std::to_string(port) + ": " + reason);
  }
}

RawConnection::~RawConnection() { close(fd_); }

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

std::optional<RawResponse> RawConnection::read_response(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto head_end = buffered_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const std::string head = buffered_.substr(0, head_end);
      const std::size_t body_size = content_length(head);
      if (buffered_.size() >= head_end + 4 + body_size) {
        RawResponse response;
        response.head = head;
        response.body = buffered_.substr(head_end + 4, body_size);
        buffered_.erase(0, head_end + 4 + body_size);
        if (head.rfind("HTTP/1.", 0) == 0 && head.size() > 12) response.status = std::stoi(head.substr(9, 3));
        return response;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd readable{fd_, POLLIN, 0};
    if (poll(&readable, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    char chunk[16384];
    const auto count = recv(fd_, chunk, sizeof chunk, 0);
    if (count <= 0) {
      // Closed: a head without its whole body still counts as an answer.
      if (head_end == std::string::npos) return std::nullopt;
      RawResponse response;
      response.head = buffered_.substr(0, head_end);
      response.body = buffered_.substr(head_end + 4);
      buffered_.clear();
      if (response.head.rfind("HTTP/1.", 0) == 0) response.status = std::stoi(response.head.substr(9, 3));
      return response;
    }
    buffered_.append(chunk, static_cast<std::size_t>(count));
  }
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd readable{fd_, POLLIN, 0};
    if (poll(&readable, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const auto count = recv(fd_, chunk, sizeof chunk, 0);
    if (count <= 0) return true;
    buffered_.append(chunk, static_cast<std::size_t>(count));
  }
}

std::string raw_request(std::string_view method, std::string_view path, std::string_view extra_headers,
                        std::string_view body) {
  std::string request = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  request += extra_headers;
  const bool chunked = lower(extra_headers).find("transfer-encoding:") != std::string::npos;
  if (!body.empty() && !chunked) request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "Connection: close\r\n\r\n";
  request += body;
  return request;
}

}  // namespace invites::testing
