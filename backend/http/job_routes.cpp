#include <nlohmann/json.hpp>

#include "invites/json_optional.hpp"

#include "http/api_error.hpp"
#include "http/job_json.hpp"
#include "http/request_fields.hpp"
#include "http/send_routes.hpp"
#include "repository/audit_log.hpp"
#include "repository/send_jobs.hpp"

namespace invites::http {
namespace {

constexpr std::size_t jobs_listed = 50;

repository::JobProgress existing_job(sql::Connection& connection, const std::string& id_text) {
  const auto job = repository::find_job(connection, path_id(id_text, "job"));
  if (!job) throw ApiError(404, "not_found", "no such job");
  return *job;
}

// 409 for an action the job's state (as it is now) does not allow, saying why.
[[noreturn]] void refuse_action(const std::string& action, const repository::JobProgress& job) {
  const std::string status(job_status_name(job.status));
  if (action != "retry-failed") throw ApiError(409, "invalid_state", "cannot " + action + " a job that is " + status);
  if (job.status == JobStatus::cancelled) {
    throw ApiError(409, "invalid_state",
                   "cannot retry the failed recipients of a cancelled job: it sends nothing more "
                   "(send to them again with a new Load)");
  }
  throw ApiError(409, "invalid_state", "the job has no failed recipients to retry");
}

// pause, resume, cancel, retry-failed: the change, its audit entry, the job after it.
void handle_action(RouteContext& context, const httplib::Request& request, httplib::Response& response) {
  const auto session = context.auth.require(request, Permission::send_invites);
  const std::string action = request.matches[2];
  auto lease = context.pool.acquire();
  const auto job = existing_job(*lease, request.matches[1]);
  nlohmann::json detail{{"job_id", job.id}};
  bool changed = false;
  if (action == "pause") {
    changed = repository::pause_job(*lease, job.id, "paused by " + session.username);
    if (changed) context.runner.job_changed();
  } else if (action == "resume") {
    changed = repository::resume_job(*lease, job.id);
    if (changed) context.runner.wake();
  } else if (action == "cancel") {
    changed = repository::cancel_job(*lease, job.id);
    if (changed) context.runner.job_changed();
  } else {
    const auto retried = repository::retry_failed(*lease, job.id);
    detail["recipients"] = retried;
    changed = retried > 0;
    if (changed) context.runner.wake();
  }
  if (!changed) refuse_action(action, existing_job(*lease, request.matches[1]));
  repository::record(*lease, session.user_id,
                     "job." + (action == "retry-failed" ? std::string("retry_failed") : action), detail);
  send_json(response, {{"job", job_to_json(*repository::find_job(*lease, job.id))}});
}

}  // namespace

void register_job_routes(httplib::Server& server, RouteContext& context) {
  server.Get("/api/jobs", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::send_invites);
    auto lease = context.pool.acquire();
    auto jobs = nlohmann::json::array();
    for (const auto& job : repository::list_jobs(*lease, jobs_listed)) jobs.push_back(job_to_json(job));
    send_json(response, {{"jobs", std::move(jobs)}});
  });
  server.Get(R"(/api/jobs/([^/]+))", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::send_invites);
    auto lease = context.pool.acquire();
    send_json(response, {{"job", job_to_json(existing_job(*lease, request.matches[1]))}});
  });
  server.Post(R"(/api/jobs/([^/]+)/(pause|resume|cancel|retry-failed))",
              [&context](const httplib::Request& request, httplib::Response& response) {
                handle_action(context, request, response);
              });
  server.Get(R"(/api/jobs/([^/]+)/recipients)",
             [&context](const httplib::Request& request, httplib::Response& response) {
               context.auth.require(request, Permission::send_invites);
               std::optional<OutboxStatus> status;
               if (request.has_param("status")) {
                 // pending includes the rows being sent: "sending" is no filter of its own.
                 status = parse_outbox_status(request.get_param_value("status"));
                 if (!status || *status == OutboxStatus::sending) {
                   throw ApiError(400, "invalid", "status: must be pending, sent, failed, skipped or cancelled",
                                  std::string("status"));
                 }
               }
               const auto window = parse_page_window(query_params(request));
               auto lease = context.pool.acquire();
               const auto job = existing_job(*lease, request.matches[1]);
               const auto page = repository::job_recipients(*lease, job.id, status, window.offset, window.limit);
               auto rows = nlohmann::json::array();
               for (const auto& row : page.rows) {
                 rows.push_back({{"email", row.email},
                                 {"group", group_name(row.group)},
                                 {"status", outbox_status_name(row.status)},
                                 {"attempts", row.attempts},
                                 {"last_error", json_or_null(row.last_error)},
                                 {"sent_at", json_or_null(row.sent_at)}});
               }
               send_json(response, {{"total", page.total}, {"rows", std::move(rows)}});
             });
}

}  // namespace invites::http
