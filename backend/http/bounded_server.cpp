#include "http/bounded_server.hpp"

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "http/api_error.hpp"
#include "http/bounded_stream.hpp"
#include "http/connection_queue.hpp"

namespace invites::http {
namespace {

using Clock = BoundedStream::Clock;

// A connection that is served only to be refused gets this long for its head.
constexpr std::chrono::milliseconds refused_receive_timeout{1000};
constexpr int busy_retry_after_seconds = 5;

// The connection ends after this answer, and the client is told so.
void close_after_response(httplib::Response& response) {
  if (auto* stream = BoundedStream::current()) stream->close_after_response();
  response.set_header("Connection", "close");
}

// Serves each accepted connection on a BoundedStream instead of
// cpp-httplib's own socket streams; parsing, routing and writing stay the
// library's (process_request).
template <class Base>
class BoundedServer final : public Base {
 public:
  template <class... Args>
  explicit BoundedServer(const ConnectionLimits& limits, Args&&... args)
      : Base(std::forward<Args>(args)...), limits_(limits) {
    this->new_task_queue = [limits] { return new ConnectionQueue(limits.workers, limits.max_waiting); };
  }

 private:
  bool process_and_close_socket(socket_t socket) override {
    const bool refusing = ConnectionQueue::refusing();
    const auto receive_timeout = refusing ? refused_receive_timeout : limits_.receive_timeout;
    const std::chrono::milliseconds write_timeout = std::chrono::seconds(this->write_timeout_sec_);
    std::unique_ptr<BoundedStream> stream;
    if constexpr (std::is_same_v<Base, httplib::SSLServer>) {
      stream =
          make_tls_stream(socket, this->ssl_context(), this->svr_sock_, write_timeout, Clock::now() + receive_timeout);
      if (!stream) return false;
    } else {
      stream = make_plain_stream(socket, this->svr_sock_, write_timeout);
    }
    std::string remote_address, local_address;
    int remote_port = 0, local_port = 0;
    stream->get_remote_ip_and_port(remote_address, remote_port);
    stream->get_local_ip_and_port(local_address, local_port);

    const std::chrono::milliseconds idle = std::chrono::seconds(this->keep_alive_timeout_sec_);
    bool served = true;
    for (std::size_t left = refusing ? 1 : this->keep_alive_max_count_; left > 0; --left) {
      if (!stream->wait_for_request(idle)) break;
      stream->begin_request(Clock::now() + receive_timeout, limits_.max_head_bytes);
      bool connection_closed = false;
      served = this->process_request(*stream, remote_address, remote_port, local_address, local_port, left == 1,
                                     connection_closed, nullptr);
      if (!served || connection_closed || stream->closing()) break;
    }
    stream->close(stream->closing());
    return served;
  }

  ConnectionLimits limits_;
};

}  // namespace

std::unique_ptr<httplib::Server> make_bounded_server(const ConnectionLimits& limits,
                                                     const std::optional<TlsFiles>& tls) {
  if (!tls) return std::make_unique<BoundedServer<httplib::Server>>(limits);
  auto server =
      std::make_unique<BoundedServer<httplib::SSLServer>>(limits, tls->certificate.c_str(), tls->private_key.c_str());
  if (!server->is_valid()) {
    throw std::invalid_argument("cannot use TLS certificate " + tls->certificate.string() + " with key " +
                                tls->private_key.string() + " (unreadable, not PEM, or not a pair)");
  }
  return server;
}

httplib::Server::HandlerResponse admit_request(const httplib::Request& request, httplib::Response& response,
                                               std::size_t max_body_bytes) {
  if (auto* stream = BoundedStream::current()) stream->end_head();
  if (ConnectionQueue::refusing()) {
    response.set_header("Retry-After", std::to_string(busy_retry_after_seconds));
    send_error(response, 503, "busy", "the server is busy; try again in a few seconds");
    close_after_response(response);
    return httplib::Server::HandlerResponse::Handled;
  }
  const std::string encoding = request.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    send_error(response, 415, "unsupported_encoding",
               "request bodies must not be compressed (Content-Encoding: " + encoding + ")");
    close_after_response(response);
    return httplib::Server::HandlerResponse::Handled;
  }
  // Refused at once: cpp-httplib would first read and drop the whole body.
  if (request.has_header("Content-Length") &&
      request.get_header_value_u64("Content-Length") > static_cast<std::uint64_t>(max_body_bytes)) {
    send_error(response, 413, "payload_too_large", "the request body is too large");
    close_after_response(response);
    return httplib::Server::HandlerResponse::Handled;
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

bool explain_unread_request(const httplib::Request& request, httplib::Response& response) {
  auto* stream = BoundedStream::current();
  if (!stream || (response.status != 400 && response.status != 413)) return false;
  close_after_response(response);
  if (response.status != 400) return false;
  if (stream->failure() == BoundedStream::Failure::timed_out) {
    send_error(response, 408, "request_timeout", "the request did not arrive in time");
    return true;
  }
  const bool head_too_large = stream->failure() == BoundedStream::Failure::head_too_large ||
                              (stream->in_head() && (request.headers.size() >= CPPHTTPLIB_HEADER_MAX_COUNT ||
                                                     stream->longest_head_line() > CPPHTTPLIB_HEADER_MAX_LENGTH));
  if (head_too_large) {
    send_error(response, 431, "headers_too_large", "the request headers are too many or too large");
    return true;
  }
  return false;
}

}  // namespace invites::http
