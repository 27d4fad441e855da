#include "invites/send_status.hpp"

#include <array>

#include "invites/enum_names.hpp"

namespace invites {
namespace {

// Indexed by the enumerators' values.
constexpr std::array<std::string_view, 5> job_status_names{"queued", "running", "paused", "cancelled", "completed"};
constexpr std::array<std::string_view, 6> outbox_status_names{"pending", "sending", "sent",
                                                              "failed",  "skipped", "cancelled"};

}  // namespace

std::string_view job_status_name(JobStatus status) noexcept { return detail::name_in(job_status_names, status); }

std::optional<JobStatus> parse_job_status(std::string_view name) {
  return detail::find_name<JobStatus>(job_status_names, name);
}

std::string_view outbox_status_name(OutboxStatus status) noexcept {
  return detail::name_in(outbox_status_names, status);
}

std::optional<OutboxStatus> parse_outbox_status(std::string_view name) {
  return detail::find_name<OutboxStatus>(outbox_status_names, name);
}

}  // namespace invites
