#pragma once
// A send job as the API returns it (docs/design.md §5): GET /api/jobs, the answer to Send.
#include <nlohmann/json.hpp>

#include "repository/send_jobs.hpp"

namespace invites::http {

nlohmann::json job_to_json(const repository::JobProgress& job);

}  // namespace invites::http
