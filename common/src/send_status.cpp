#include "invites/send_status.hpp"

#include <array>

namespace invites {
namespace {

// Indexed by the enumerators' values.
constexpr std::array<std::string_view, 5> job_status_names{"queued", "running", "paused", "cancelled", "completed"};
constexpr std::array<std::string_view, 6> outbox_status_names{"pending", "sending", "sent",
                                                              "failed",  "skipped", "cancelled"};

template <typename Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace

std::string_view job_status_name(JobStatus status) noexcept {
  return job_status_names[static_cast<std::size_t>(status)];
}

std::optional<JobStatus> parse_job_status(std::string_view name) {
  return find_name<JobStatus>(job_status_names, name);
}

std::string_view outbox_status_name(OutboxStatus status) noexcept {
  return outbox_status_names[static_cast<std::size_t>(status)];
}

std::optional<OutboxStatus> parse_outbox_status(std::string_view name) {
  return find_name<OutboxStatus>(outbox_status_names, name);
}

}  // namespace invites
