// The floor of the send path on this machine (docs/design.md §8): the server's
// own SMTP transport (mail::make_smtp_transport, libcurl) sending MESSAGES
// messages of SIZE bytes over CONNECTIONS connections, one thread each, with
// no database, no template and no outcome to record. bench/send_bench.sh runs
// it against the same smtp-sink as the job and smtp-source; it prints
// messages/s and this process's CPU per message (user + system).
//   smtp_transport_bench SMTP_URL CONNECTIONS MESSAGES SIZE
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mail/transport.hpp"

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A message of about `size` bytes: headers, then lines of 76 letters.
std::string message_of_size(std::size_t size) {
  std::string message =
      "From: bench-sender@haul.example.com\r\nTo: bench@bench.example\r\nSubject: transport floor\r\n"
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
  while (message.size() + 78 <= size) message += std::string(76, 'x') + "\r\n";
  return message;
}

// A positive whole number, or an error that names the argument.
std::size_t positive_count(const char* text, const char* what) {
  std::size_t used = 0;
  unsigned long value = 0;
  try {
    value = std::stoul(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || text[0] < '0' || text[0] > '9' || text[used] != '\0' || value == 0)
    throw std::invalid_argument(std::string(what) + " must be a positive whole number, not \"" + text + "\"");
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s SMTP_URL CONNECTIONS MESSAGES SIZE\n", argv[0]);
    return 2;
  }
  try {
    const invites::mail::SmtpOptions options{.url = argv[1]};
    const std::size_t connections = positive_count(argv[2], "CONNECTIONS");
    const std::size_t messages = positive_count(argv[3], "MESSAGES");
    const std::string message = message_of_size(positive_count(argv[4], "SIZE"));

    // Made here, not in the threads: a bad URL is refused with its message.
    std::vector<std::unique_ptr<invites::mail::MailTransport>> transports;
    for (std::size_t i = 0; i < connections; ++i) transports.push_back(invites::mail::make_smtp_transport(options));

    std::atomic<std::size_t> next{0}, failed{0};
    const double cpu_before = cpu_seconds();
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (auto& transport : transports) {
      threads.emplace_back([&] {
        while (next++ < messages) {
          const auto result = transport->deliver("bench-sender@haul.example.com", "bench@bench.example", message);
          if (result.outcome != invites::mail::DeliveryOutcome::delivered && failed++ == 0)
            std::fprintf(stderr, "not delivered: %s\n", result.detail.c_str());
        }
      });
    }
    for (auto& thread : threads) thread.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double cpu = cpu_seconds() - cpu_before;
    std::printf(
        "transport alone (libcurl, %zu connections, no database): %zu messages in %.2f s = %.0f messages/s, "
        "CPU per message %.0f us%s\n",
        connections, messages, seconds, messages / seconds, 1e6 * cpu / messages,
        failed ? " (some NOT delivered)" : "");
    return failed ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "smtp_transport_bench: %s\n", e.what());
    return 2;
  }
}
