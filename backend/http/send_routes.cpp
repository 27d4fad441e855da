#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "http/api_error.hpp"
#include "http/job_json.hpp"
#include "http/request_fields.hpp"
#include "http/send_routes.hpp"
#include "http/template_access.hpp"
#include "invites/template.hpp"
#include "repository/audit_log.hpp"
#include "repository/recipient_query.hpp"
#include "repository/send_jobs.hpp"

namespace invites::http {
namespace {

std::vector<Group> parse_groups(const nlohmann::json& body) {
  if (!body.contains("groups")) return {Group::new_users, Group::pending_invites};
  const auto& groups = body["groups"];
  if (!groups.is_array() || groups.empty()) {
    throw ApiError(400, "invalid", "groups: a non-empty list of new_users and/or pending_invites",
                   std::string("groups"));
  }
  std::vector<Group> out;
  for (const auto& item : groups) {
    const auto group = item.is_string() ? parse_group(item.get<std::string>()) : std::nullopt;
    if (!group || !is_mailed(*group)) {
      throw ApiError(400, "invalid", "groups: " + item.dump() + " is not new_users or pending_invites",
                     std::string("groups"));
    }
    if (std::find(out.begin(), out.end(), *group) == out.end()) out.push_back(*group);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> parse_idempotency_key(const nlohmann::json& body) {
  if (!body.contains("idempotency_key") || body["idempotency_key"].is_null()) return std::nullopt;
  static const std::regex shape("[A-Za-z0-9_-]{8,40}");
  const auto& key = body["idempotency_key"];
  if (!key.is_string() || !std::regex_match(key.get<std::string>(), shape)) {
    throw ApiError(400, "invalid", "idempotency_key: 8 to 40 letters, digits, '-' or '_'",
                   std::string("idempotency_key"));
  }
  return key.get<std::string>();
}

void handle_send(RouteContext& context, const httplib::Request& request, httplib::Response& response) {
  const auto session = context.auth.require(request, Permission::send_invites);
  const std::string preview_id = request.matches[1];
  const auto body = parse_json_object(request);
  reject_unknown_keys(body, {"from_email", "template_id", "groups", "idempotency_key"});
  const auto groups = parse_groups(body);
  const auto key = parse_idempotency_key(body);
  const std::uint32_t template_id = required_id(body, "template_id");

  auto lease = context.pool.acquire();
  const auto preview = context.previews.find_for_send(*lease, preview_id, session.user_id);
  if (!preview) throw ApiError(404, "not_found", "no such preview (it may have expired: press Load again)");
  if (key) {
    // A repeated click (or a retry after a lost answer): the job it made.
    if (const auto existing = repository::job_id_for_key(*lease, session.user_id, *key)) {
      send_json(response, {{"job_id", *existing}, {"job", job_to_json(*repository::find_job(*lease, *existing))}}, 202);
      return;
    }
  }
  const auto message_template = sendable_template(*lease, template_id, "template_id");
  const std::string from_email = context.senders.check(*lease, required_string(body, "from_email"), "from_email");

  repository::NewJob job;
  job.created_by = session.user_id;
  job.from_email = from_email;
  job.message_template = message_template;
  job.filter = preview->filter;
  job.groups = groups;
  job.digest = preview->digest;
  job.idempotency_key = key;
  job.preview_id = preview_id;  // a preview already sent (another key, a reopened dialog) gets that job
  job.invite_ttl_days = context.invite_ttl_days;
  // docs/design.md §6: the recipients now, by SQL, must be what Load showed;
  // the database writes them into the outbox as it checks them (§8: the
  // server holds no list of them, which could meet a snapshot build).
  const auto created = repository::create_job(*lease, job);
  using Outcome = repository::CreatedJob::Outcome;
  if (created.outcome == Outcome::recipients_changed) {
    const Counts counts = repository::count_recipients(*lease, preview->filter);
    context.index.request_refresh();
    repository::record(*lease, session.user_id, "send.rejected",
                       {{"preview_id", preview_id},
                        {"reason", "digest_mismatch"},
                        {"previewed_counts", preview->counts},
                        {"current_counts", counts_to_json(counts)}});
    send_recipients_changed(response, counts, created.digest);
    return;
  }
  if (created.outcome == Outcome::no_recipients) {
    throw ApiError(400, "no_recipients", "groups: the chosen groups have no recipients", std::string("groups"));
  }
  if (created.outcome == Outcome::created) {
    nlohmann::json group_names = nlohmann::json::array();
    for (const auto group : groups) group_names.push_back(group_name(group));
    repository::record(*lease, session.user_id, "send",
                       {{"job_id", created.id},
                        {"preview_id", preview_id},
                        {"filter", filter_to_json(preview->filter)},
                        {"groups", group_names},
                        {"recipients", created.recipients},
                        {"from_email", from_email},
                        {"template_id", template_id},
                        {"digest", created.digest}});
    spdlog::info("send: job {} with {} recipients by {}", created.id, created.recipients, session.username);
    context.runner.wake();
  }
  send_json(response, {{"job_id", created.id}, {"job", job_to_json(*repository::find_job(*lease, created.id))}}, 202);
}

}  // namespace

void register_send_routes(httplib::Server& server, RouteContext& context) {
  server.Post(R"(/api/previews/([^/]+)/send)",
              [&context](const httplib::Request& request, httplib::Response& response) {
                handle_send(context, request, response);
              });
}

}  // namespace invites::http
