#include <algorithm>

#include <nlohmann/json.hpp>

#include "invites/json_optional.hpp"

#include "http/api_error.hpp"
#include "http/job_json.hpp"
#include "http/request_fields.hpp"
#include "http/send_routes.hpp"
#include "repository/audit_log.hpp"
#include "repository/delivery_outcomes.hpp"
#include "repository/send_jobs.hpp"

namespace invites::http {
namespace {

constexpr std::size_t jobs_listed = 50;

// Thresholds mail providers act on (docs/design.md §11), shown beside a job's rates:
// Amazon SES reviews an account at a 5 % bounce rate and 0.1 % complaints;
// Gmail's sender guidelines ask for spam reports below 0.1 % and never 0.3 %.
constexpr double bounce_rate_review = 0.05;
constexpr double complaint_rate_review = 0.001;
constexpr double complaint_rate_limit = 0.003;

// Delivered = accepted by the SMTP server and not bounced later; rates are
// of the messages handed over (accepted or refused at once).
nlohmann::json outcomes_to_json(const repository::JobProgress& job, const repository::JobOutcomeCounts& counts) {
  const std::uint64_t bounced = counts.hard_bounced + counts.soft_bounced;
  const std::uint64_t bounced_after_acceptance = bounced - std::min(bounced, counts.rejected_at_smtp);
  const std::uint64_t handed_over = job.sent + counts.rejected_at_smtp;
  const auto rate = [&](std::uint64_t n) {
    return handed_over == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(handed_over);
  };
  return {{"delivered", job.sent - std::min<std::uint64_t>(job.sent, bounced_after_acceptance)},
          {"bounced_hard", counts.hard_bounced},
          {"bounced_soft", counts.soft_bounced},
          {"complained", counts.complained},
          {"bounce_rate", rate(bounced)},
          {"complaint_rate", rate(counts.complained)},
          {"thresholds",
           {{"bounce_rate_review", bounce_rate_review},
            {"complaint_rate_review", complaint_rate_review},
            {"complaint_rate_limit", complaint_rate_limit}}}};
}

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

// pause, resume, cancel, retry-failed: the change, its audit entry, the job
// as the change left it (read before the runner is told, which may finish a
// retried job at once).
void handle_action(RouteContext& context, const httplib::Request& request, httplib::Response& response) {
  const auto session = context.auth.require(request, Permission::send_invites);
  const std::string action = request.matches[2];
  auto lease = context.pool.acquire();
  const auto job = existing_job(*lease, request.matches[1]);
  nlohmann::json detail{{"job_id", job.id}};
  bool changed = false;
  if (action == "pause") {
    changed = repository::pause_job(*lease, job.id, "paused by " + session.username);
  } else if (action == "resume") {
    changed = repository::resume_job(*lease, job.id);
  } else if (action == "cancel") {
    changed = repository::cancel_job(*lease, job.id);
  } else {
    const auto retried = repository::retry_failed(*lease, job.id);
    detail["recipients"] = retried;
    changed = retried > 0;
  }
  if (!changed) refuse_action(action, existing_job(*lease, request.matches[1]));
  repository::record(*lease, session.user_id,
                     "job." + (action == "retry-failed" ? std::string("retry_failed") : action), detail);
  const auto after = job_to_json(*repository::find_job(*lease, job.id));
  if (action == "pause" || action == "cancel") {
    context.runner.job_changed();
  } else {
    context.runner.wake();
  }
  send_json(response, {{"job", after}});
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
    const auto job = existing_job(*lease, request.matches[1]);
    send_json(response, {{"job", job_to_json(job)},
                         {"outcomes", outcomes_to_json(job, repository::job_outcome_counts(*lease, job.id))}});
  });
  server.Post(R"(/api/jobs/([^/]+)/(pause|resume|cancel|retry-failed))",
              [&context](const httplib::Request& request, httplib::Response& response) {
                handle_action(context, request, response);
              });
  server.Get(R"(/api/jobs/([^/]+)/recipients)",
             [&context](const httplib::Request& request, httplib::Response& response) {
               context.auth.require(request, Permission::send_invites);
               repository::JobRecipientFilter filter;
               if (request.has_param("status")) {
                 // pending includes the rows being sent: "sending" is no filter of its own.
                 const auto name = request.get_param_value("status");
                 const auto status = parse_outbox_status(name);
                 if (name == "bounced") {
                   filter = repository::ReportedOutcome::bounced;
                 } else if (name == "complained") {
                   filter = repository::ReportedOutcome::complained;
                 } else if (status && *status != OutboxStatus::sending) {
                   filter = *status;
                 } else {
                   throw ApiError(400, "invalid",
                                  "status: must be pending, sent, failed, skipped, cancelled, bounced or complained",
                                  std::string("status"));
                 }
               }
               const auto window = parse_page_window(query_params(request));
               auto lease = context.pool.acquire();
               const auto job = existing_job(*lease, request.matches[1]);
               const auto page = repository::job_recipients(*lease, job.id, filter, window.offset, window.limit);
               auto rows = nlohmann::json::array();
               for (const auto& row : page.rows) {
                 rows.push_back({{"email", row.email},
                                 {"group", group_name(row.group)},
                                 {"status", outbox_status_name(row.status)},
                                 {"attempts", row.attempts},
                                 {"last_error", json_or_null(row.last_error)},
                                 {"sent_at", json_or_null(row.sent_at)},
                                 {"outcome", json_or_null(row.outcome)},
                                 {"outcome_diagnostic", json_or_null(row.outcome_diagnostic)}});
               }
               send_json(response, {{"total", page.total}, {"rows", std::move(rows)}});
             });
}

}  // namespace invites::http
