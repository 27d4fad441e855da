#pragma once
// One client connection as cpp-httplib reads and writes it, with the limits
// the library itself lacks: every request, head and body, must have arrived
// by a deadline however slowly its bytes trickle in (a read timeout alone
// lets a client that sends one byte every few seconds hold a worker forever),
// and its head must fit a byte budget. A stream fails a read past either
// limit and says which (failure()), so the server answers 408 or 431.
// Sockets are non-blocking: no wait ever outlasts the deadline, and every
// wait ends within a tenth of a second once the server stops listening.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <httplib.h>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace invites::http {

class BoundedStream : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Failure { none, timed_out, head_too_large, closed };

  // The stream of the request the calling thread is serving, or nullptr.
  static BoundedStream* current();

  ~BoundedStream() override;
  BoundedStream(const BoundedStream&) = delete;
  BoundedStream& operator=(const BoundedStream&) = delete;

  // Waits up to `idle` for the first byte of the next request. False when
  // none came, the client closed, or the server stopped listening.
  bool wait_for_request(std::chrono::milliseconds idle);
  // From now on the bytes read belong to one request: all of them must have
  // arrived by `deadline`, and at most `max_head_bytes` of them before end_head().
  void begin_request(Clock::time_point deadline, std::size_t max_head_bytes);
  // The head is complete (the pre-routing handler runs): the body follows.
  void end_head() { in_head_ = false; }
  bool in_head() const { return in_head_; }
  Failure failure() const { return failure_; }
  // The longest line of the current request's head so far, with its CRLF.
  std::size_t longest_head_line() const { return longest_head_line_; }

  // The connection ends after the current response: its request was
  // refused early or not read to its end, so what follows is no request.
  void close_after_response() { closing_ = true; }
  bool closing() const { return closing_ || failure_ != Failure::none; }

  // Ends the connection (the stream owns the socket; destruction closes it
  // too). With `drain`, reads and drops what the client may
  // still be sending (for up to a second) before closing, so an early
  // answer (413, 415, 408, 503) reaches it instead of a reset.
  void close(bool drain);

  // httplib::Stream
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* data, size_t size) override;
  ssize_t write(const char* data, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return socket_; }

 protected:
  enum class Io { done, want_read, want_write, end, error };
  // `listening`: the server's socket, INVALID_SOCKET once it stops.
  BoundedStream(socket_t socket, const std::atomic<socket_t>& listening, std::chrono::milliseconds write_timeout);

  // Waits for the socket to be ready for `io`, until `until` or the server stops.
  bool wait(Io io, Clock::time_point until) const;
  // Non-blocking transfer of the transport (plain or TLS): `done` with `count` set, or what to wait for.
  virtual Io receive(char* data, std::size_t size, std::size_t& count) = 0;
  virtual Io transmit(const char* data, std::size_t size, std::size_t& count) = 0;
  virtual bool has_pending() const = 0;  // bytes received but not yet returned by receive()
  virtual void end_transport() {}

 private:
  bool fill();
  void track_head(const char* data, std::size_t size);

  socket_t socket_;
  const std::atomic<socket_t>& listening_;
  std::chrono::milliseconds write_timeout_;
  std::string buffer_;
  std::size_t buffer_at_ = 0;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool in_head_ = false;
  std::size_t max_head_bytes_ = 0;
  std::size_t head_bytes_ = 0;
  std::size_t head_line_ = 0;
  std::size_t longest_head_line_ = 0;
  Failure failure_ = Failure::none;
  bool closing_ = false;
  bool closed_ = false;
  BoundedStream* previous_current_ = nullptr;
};

// A plain TCP connection.
std::unique_ptr<BoundedStream> make_plain_stream(socket_t socket, const std::atomic<socket_t>& listening,
                                                 std::chrono::milliseconds write_timeout);

// A TLS connection, after its handshake, which must complete by `deadline`;
// nullptr (and the socket closed) when it does not or fails.
std::unique_ptr<BoundedStream> make_tls_stream(socket_t socket, SSL_CTX* context,
                                               const std::atomic<socket_t>& listening,
                                               std::chrono::milliseconds write_timeout,
                                               BoundedStream::Clock::time_point deadline);

}  // namespace invites::http
