#include "http/bounded_stream.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace invites::http {
namespace {

using namespace std::chrono_literals;

// How often a wait looks whether the server has stopped listening.
constexpr auto stop_check_interval = 100ms;
constexpr std::size_t receive_buffer_size = 16 * 1024;
// After an early answer, what a client may still send is read and dropped
// for this long (and this much) before the socket closes.
constexpr auto drain_time = 1s;
constexpr std::size_t drain_bytes = 1 << 20;

thread_local BoundedStream* current_stream = nullptr;

void name_of(const sockaddr_storage& address, socklen_t length, std::string& ip, int& port) {
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host, service, sizeof service,
                  NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(service);
  }
}

class PlainStream final : public BoundedStream {
 public:
  PlainStream(socket_t socket, const std::atomic<socket_t>& listening, std::chrono::milliseconds write_timeout)
      : BoundedStream(socket, listening, write_timeout) {}

 private:
  Io receive(char* data, std::size_t size, std::size_t& count) override {
    const auto received = recv(socket(), data, size, 0);
    if (received > 0) {
      count = static_cast<std::size_t>(received);
      return Io::done;
    }
    if (received == 0) return Io::end;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Io::want_read : Io::error;
  }
  Io transmit(const char* data, std::size_t size, std::size_t& count) override {
    const auto sent = send(socket(), data, size, MSG_NOSIGNAL);
    if (sent >= 0) {
      count = static_cast<std::size_t>(sent);
      return Io::done;
    }
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Io::want_write : Io::error;
  }
  bool has_pending() const override { return false; }
};

class TlsStream final : public BoundedStream {
 public:
  TlsStream(socket_t socket, SSL* ssl, const std::atomic<socket_t>& listening, std::chrono::milliseconds write_timeout)
      : BoundedStream(socket, listening, write_timeout), ssl_(ssl) {}
  ~TlsStream() override {
    close(false);  // before the SSL object goes
    SSL_free(ssl_);
  }

  bool handshake(Clock::time_point deadline) {
    for (;;) {
      const Io io = outcome(SSL_accept(ssl_));
      if (io == Io::done) return true;
      if ((io != Io::want_read && io != Io::want_write) || !wait(io, deadline)) return false;
    }
  }

 private:
  Io outcome(int result) {
    if (result > 0) return Io::done;
    switch (SSL_get_error(ssl_, result)) {
      case SSL_ERROR_WANT_READ:
        return Io::want_read;
      case SSL_ERROR_WANT_WRITE:
        return Io::want_write;
      case SSL_ERROR_ZERO_RETURN:
        return Io::end;
      default:
        ERR_clear_error();
        return Io::error;
    }
  }
  Io receive(char* data, std::size_t size, std::size_t& count) override {
    return outcome(SSL_read_ex(ssl_, data, size, &count));
  }
  Io transmit(const char* data, std::size_t size, std::size_t& count) override {
    return outcome(SSL_write_ex(ssl_, data, size, &count));
  }
  bool has_pending() const override { return SSL_pending(ssl_) > 0; }
  void end_transport() override { SSL_shutdown(ssl_); }

  SSL* ssl_;
};

}  // namespace

BoundedStream* BoundedStream::current() { return current_stream; }

BoundedStream::BoundedStream(socket_t socket, const std::atomic<socket_t>& listening,
                             std::chrono::milliseconds write_timeout)
    : socket_(socket), listening_(listening), write_timeout_(write_timeout), previous_current_(current_stream) {
  fcntl(socket_, F_SETFL, fcntl(socket_, F_GETFL) | O_NONBLOCK);
  current_stream = this;
}

BoundedStream::~BoundedStream() {
  close(false);
  current_stream = previous_current_;
}

bool BoundedStream::wait(Io io, Clock::time_point until) const {
  pollfd ready{socket_, static_cast<short>(io == Io::want_write ? POLLOUT : POLLIN), 0};
  for (;;) {
    const auto left = until - Clock::now();
    if (left <= Clock::duration::zero() || listening_ == INVALID_SOCKET) return false;
    const auto slice =
        std::chrono::ceil<std::chrono::milliseconds>(std::min<Clock::duration>(left, stop_check_interval));
    const int result = poll(&ready, 1, static_cast<int>(slice.count()));
    if (result > 0) return true;
    if (result < 0 && errno != EINTR) return false;
  }
}

bool BoundedStream::wait_for_request(std::chrono::milliseconds idle) {
  if (buffer_at_ < buffer_.size() || has_pending()) return true;
  return wait(Io::want_read, Clock::now() + idle);
}

void BoundedStream::begin_request(Clock::time_point deadline, std::size_t max_head_bytes) {
  deadline_ = deadline;
  in_head_ = true;
  max_head_bytes_ = max_head_bytes;
  head_bytes_ = 0;
  head_line_ = 0;
  longest_head_line_ = 0;
  failure_ = Failure::none;
}

bool BoundedStream::fill() {
  buffer_.resize(receive_buffer_size);
  buffer_at_ = 0;
  for (;;) {
    std::size_t count = 0;
    const Io io = receive(buffer_.data(), buffer_.size(), count);
    if (io == Io::done) {
      buffer_.resize(count);
      return true;
    }
    if (io == Io::end || io == Io::error) {
      failure_ = Failure::closed;
    } else if (!wait(io, deadline_)) {
      failure_ = listening_ == INVALID_SOCKET ? Failure::closed : Failure::timed_out;
    } else {
      continue;
    }
    buffer_.clear();
    return false;
  }
}

void BoundedStream::track_head(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    ++head_line_;
    if (data[i] == '\n') {
      longest_head_line_ = std::max(longest_head_line_, head_line_);
      head_line_ = 0;
    }
  }
  longest_head_line_ = std::max(longest_head_line_, head_line_);
  head_bytes_ += size;
}

ssize_t BoundedStream::read(char* data, size_t size) {
  if (failure_ != Failure::none) return -1;
  if (buffer_at_ == buffer_.size() && !fill()) return -1;
  const std::size_t count = std::min(size, buffer_.size() - buffer_at_);
  if (in_head_) {
    if (head_bytes_ + count > max_head_bytes_) {
      failure_ = Failure::head_too_large;
      return -1;
    }
    track_head(buffer_.data() + buffer_at_, count);
  }
  std::memcpy(data, buffer_.data() + buffer_at_, count);
  buffer_at_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t BoundedStream::write(const char* data, size_t size) {
  const auto until = Clock::now() + write_timeout_;
  for (;;) {
    std::size_t count = 0;
    const Io io = transmit(data, size, count);
    if (io == Io::done) return static_cast<ssize_t>(count);
    if ((io != Io::want_read && io != Io::want_write) || !wait(io, until)) return -1;
  }
}

bool BoundedStream::is_readable() const {
  if (buffer_at_ < buffer_.size() || has_pending()) return true;
  pollfd ready{socket_, POLLIN, 0};
  return poll(&ready, 1, 0) > 0;
}

bool BoundedStream::is_writable() const { return wait(Io::want_write, Clock::now() + write_timeout_); }

void BoundedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) name_of(address, length, ip, port);
}

void BoundedStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) name_of(address, length, ip, port);
}

void BoundedStream::close(bool drain) {
  if (closed_) return;
  closed_ = true;
  if (failure_ != Failure::closed) end_transport();
  if (drain && failure_ != Failure::closed) {
    shutdown(socket_, SHUT_WR);
    const auto until = Clock::now() + drain_time;
    char scratch[16 * 1024];
    std::size_t drained = 0;
    while (drained < drain_bytes && wait(Io::want_read, until)) {
      const auto count = recv(socket_, scratch, sizeof scratch, 0);
      if (count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR)) break;
      if (count > 0) drained += static_cast<std::size_t>(count);
    }
  }
  shutdown(socket_, SHUT_RDWR);
  ::close(socket_);
}

std::unique_ptr<BoundedStream> make_plain_stream(socket_t socket, const std::atomic<socket_t>& listening,
                                                 std::chrono::milliseconds write_timeout) {
  return std::make_unique<PlainStream>(socket, listening, write_timeout);
}

std::unique_ptr<BoundedStream> make_tls_stream(socket_t socket, SSL_CTX* context,
                                               const std::atomic<socket_t>& listening,
                                               std::chrono::milliseconds write_timeout,
                                               BoundedStream::Clock::time_point deadline) {
  SSL* ssl = SSL_new(context);
  if (!ssl) return nullptr;
  SSL_set_fd(ssl, socket);
  auto stream = std::make_unique<TlsStream>(socket, ssl, listening, write_timeout);
  if (!stream->handshake(deadline)) return nullptr;  // the stream closes the socket
  return stream;
}

}  // namespace invites::http
