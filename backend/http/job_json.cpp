#include "http/job_json.hpp"

#include "invites/json_optional.hpp"

namespace invites::http {

nlohmann::json job_to_json(const repository::JobProgress& job) {
  auto groups = nlohmann::json::array();
  for (const auto group : job.groups) groups.push_back(group_name(group));
  return {{"id", job.id},
          {"status", job_status_name(job.status)},
          {"pause_reason", json_or_null(job.pause_reason)},
          {"created_at", job.created_at},
          {"created_by", job.created_by},
          {"from_email", job.from_email},
          {"template_id", job.template_id},
          {"template_name", job.template_name},
          {"groups", std::move(groups)},
          {"total", job.total},
          {"sent", job.sent},
          {"failed", job.failed},
          {"pending", job.pending},
          {"skipped", job.skipped},
          {"cancelled", job.cancelled},
          {"rate_per_second", job.rate_per_second},
          {"eta_seconds", json_or_null(job.eta_seconds)},
          {"started_at", json_or_null(job.started_at)},
          {"finished_at", json_or_null(job.finished_at)}};
}

}  // namespace invites::http
