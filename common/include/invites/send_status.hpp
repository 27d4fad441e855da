#pragma once
// The states of a send job and of each recipient in its outbox (docs/design.md §6):
// the values of send_jobs.status and send_outbox.status, and of the API's
// "status" fields, named here once for the server and the browser.
#include <cstdint>
#include <optional>
#include <string_view>

namespace invites {

enum class JobStatus : std::uint8_t { queued, running, paused, cancelled, completed };
std::string_view job_status_name(JobStatus status) noexcept;
std::optional<JobStatus> parse_job_status(std::string_view name);
// The sender works on it (or is about to): queued or running.
constexpr bool is_active(JobStatus status) noexcept {
  return status == JobStatus::queued || status == JobStatus::running;
}
// Nothing more is sent: completed or cancelled.
constexpr bool is_finished(JobStatus status) noexcept {
  return status == JobStatus::completed || status == JobStatus::cancelled;
}

// A recipient moves pending → sending (claimed by one server) → sent, failed
// or skipped, or back to pending for a retry; cancelled when its job is.
enum class OutboxStatus : std::uint8_t { pending, sending, sent, failed, skipped, cancelled };
std::string_view outbox_status_name(OutboxStatus status) noexcept;
std::optional<OutboxStatus> parse_outbox_status(std::string_view name);

}  // namespace invites
