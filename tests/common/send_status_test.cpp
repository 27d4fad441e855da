// The job and outbox states of docs/design.md §6 (invites/send_status.hpp): every name
// parses back to its state, and nothing else parses.
#include <catch2/catch.hpp>

#include "invites/send_status.hpp"

using namespace invites;

TEST_CASE("job states print and parse back", "[send_status]") {
  const JobStatus all[] = {JobStatus::queued, JobStatus::running, JobStatus::paused, JobStatus::cancelled,
                           JobStatus::completed};
  for (const JobStatus status : all) {
    INFO(job_status_name(status));
    CHECK(parse_job_status(job_status_name(status)) == status);
  }
  CHECK(job_status_name(JobStatus::running) == "running");
  CHECK(job_status_name(JobStatus::completed) == "completed");
  for (const char* name : {"", "Running", "done", "unknown", "queued "}) {
    INFO(name);
    CHECK_FALSE(parse_job_status(name).has_value());
  }
}

TEST_CASE("active and finished jobs", "[send_status]") {
  CHECK(is_active(JobStatus::queued));
  CHECK(is_active(JobStatus::running));
  CHECK_FALSE(is_active(JobStatus::paused));
  CHECK_FALSE(is_active(JobStatus::completed));
  CHECK(is_finished(JobStatus::completed));
  CHECK(is_finished(JobStatus::cancelled));
  CHECK_FALSE(is_finished(JobStatus::paused));
  CHECK_FALSE(is_finished(JobStatus::running));
}

TEST_CASE("outbox states print and parse back", "[send_status]") {
  const OutboxStatus all[] = {OutboxStatus::pending, OutboxStatus::sending, OutboxStatus::sent,
                              OutboxStatus::failed,  OutboxStatus::skipped, OutboxStatus::cancelled};
  for (const OutboxStatus status : all) {
    INFO(outbox_status_name(status));
    CHECK(parse_outbox_status(outbox_status_name(status)) == status);
  }
  CHECK(outbox_status_name(OutboxStatus::sending) == "sending");
  CHECK(outbox_status_name(OutboxStatus::cancelled) == "cancelled");
  for (const char* name : {"", "bounced", "SENT", "queued"}) {
    INFO(name);
    CHECK_FALSE(parse_outbox_status(name).has_value());
  }
}
