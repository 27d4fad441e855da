#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "http/api_error.hpp"
#include "http/request_fields.hpp"
#include "http/send_routes.hpp"
#include "http/template_access.hpp"
#include "invites/email.hpp"
#include "invites/evaluator.hpp"
#include "invites/utc_time.hpp"
#include "repository/audit_log.hpp"
#include "repository/contacts.hpp"
#include "repository/test_send_quota.hpp"
#include "service/invitation.hpp"

namespace invites::http {
namespace {

// Previews and test sends carry a link that looks like a real one but opens
// no account (the acceptance page says the link is not valid).
constexpr const char* example_token = "example-link-for-preview-only";

struct Recipient {
  repository::RecipientDetails details;
  bool from_preview = false;
};

// The recipient named by preview_id + email (one of the preview's mailed
// recipients), or the documented example values.
Recipient chosen_recipient(RouteContext& context, sql::Connection& connection, const StaffSession& session,
                           const nlohmann::json& body) {
  const auto preview_id = optional_string(body, "preview_id");
  const auto email = optional_string(body, "email");
  if (!preview_id && !email) {
    const auto example = example_merge_values();
    return {{example.contact_email, example.contact_first_name, example.contact_last_name, example.account_number,
             example.account_name, example.division_name},
            false};
  }
  if (!preview_id || !email) {
    throw ApiError(400, "invalid",
                   "preview_id and email: give both (a recipient of a Load) or neither (example values)",
                   std::string(preview_id ? "email" : "preview_id"));
  }
  const auto preview = context.previews.find_for_review(connection, *preview_id, session.user_id);
  if (!preview) throw ApiError(404, "not_found", "no such preview (it may have expired: press Load again)");
  const std::string wanted = normalize_email(*email);
  for (const auto group : {Group::new_users, Group::pending_invites}) {
    PageRequest request;
    request.group = group;
    request.query = wanted;
    request.limit = 50;
    const auto portal = service::portal_columns_of(*preview->snapshot, preview->portal.get());
    for (const auto& row : page_recipients(*preview->snapshot, *preview->evaluation, request, portal).rows) {
      if (row.email != wanted) continue;
      auto details = repository::recipient_details(connection, row.contact_id, wanted);
      if (!details) throw ApiError(404, "not_found", "email: the contact of " + wanted + " no longer exists");
      return {*details, true};
    }
  }
  throw ApiError(400, "invalid", "email: " + wanted + " is not a recipient of this Load", std::string("email"));
}

TemplateText template_of(sql::Connection& connection, const nlohmann::json& body) {
  if (body.contains("template") && body.contains("template_id")) {
    throw ApiError(400, "invalid", "template: give template_id or template, not both", std::string("template"));
  }
  if (!body.contains("template"))
    return usable_template(connection, required_id(body, "template_id"), "template_id").text;
  const auto& object = body["template"];
  if (!object.is_object()) throw ApiError(400, "invalid", "template: must be an object", std::string("template"));
  reject_unknown_keys(object, {"subject", "content_type", "body", "text_body"});
  TemplateText text;
  text.subject = required_string(object, "subject");
  const auto type = parse_content_type(optional_string(object, "content_type").value_or("text/html"));
  if (!type) throw ApiError(400, "invalid", "template.content_type: text/html or text/plain", std::string("template"));
  text.content_type = *type;
  text.body = required_string(object, "body");
  text.text_body = optional_string(object, "text_body").value_or("");
  return text;
}

// 429 with Retry-After, and a message that says when the next test send is possible.
void refuse_test_send(httplib::Response& response, const repository::TestSendQuota& quota, std::chrono::seconds wait,
                      std::time_t now) {
  spdlog::warn("test send refused: the user's {} test sends in {} s are used up", quota.limit, quota.window.count());
  response.set_header("Retry-After", std::to_string(wait.count()));
  send_error(response, 429, "too_many_test_sends",
             "Too many test sends: at most " + std::to_string(quota.limit) + " every " +
                 std::to_string(quota.window.count() / 60) + " minutes. The next one is possible at " +
                 readable_utc(now + wait.count()) + " (in " + std::to_string(wait.count()) + " s).");
}

}  // namespace

void register_render_routes(httplib::Server& server, RouteContext& context) {
  server.Post("/api/render", [&context](const httplib::Request& request, httplib::Response& response) {
    const auto session = context.auth.require(request, Permission::send_invites);
    const auto body = parse_json_object(request);
    reject_unknown_keys(body, {"template_id", "template", "preview_id", "email", "from_email"});
    auto lease = context.pool.acquire();
    const auto text = template_of(*lease, body);
    const auto recipient = chosen_recipient(context, *lease, session, body);
    const auto from = optional_string(body, "from_email").value_or("");
    const auto values =
        service::merge_values(recipient.details, from, service::invite_url(context.base_url, example_token),
                              service::invite_expiry_date(std::time(nullptr), context.invite_ttl_days));
    RenderedMessage rendered;
    try {
      rendered = render_template(text, values);
    } catch (const TemplateError& error) {
      throw_template_invalid(error);
    }
    nlohmann::json recipient_json = nullptr;
    if (recipient.from_preview) {
      const auto& d = recipient.details;
      recipient_json = {{"email", d.email},
                        {"first_name", d.first_name},
                        {"last_name", d.last_name},
                        {"account_number", d.account_number},
                        {"account_name", d.account_name}};
    }
    send_json(response, {{"subject", rendered.subject},
                         {"text_body", rendered.text_body},
                         {"html_body", rendered.html_body},
                         {"recipient", recipient_json}});
  });

  server.Post("/api/test-send", [&context](const httplib::Request& request, httplib::Response& response) {
    const auto session = context.auth.require(request, Permission::send_invites);
    const auto body = parse_json_object(request);
    reject_unknown_keys(body, {"template_id", "from_email", "to", "preview_id", "email"});
    const std::string to = service::SenderPolicy::check_syntax(required_string(body, "to"), "to");
    auto lease = context.pool.acquire();
    const auto stored = sendable_template(*lease, required_id(body, "template_id"), "template_id");
    const std::string from = context.senders.check(*lease, required_string(body, "from_email"), "from_email");
    const auto recipient = chosen_recipient(context, *lease, session, body);
    const std::time_t now = std::time(nullptr);
    auto values = service::merge_values(recipient.details, from, service::invite_url(context.base_url, example_token),
                                        service::invite_expiry_date(now, context.invite_ttl_days));
    auto text = stored.text;
    text.subject = "[Test] " + text.subject;
    std::string message;
    try {
      CompiledTemplate compiled(text);
      message = service::build_invitation(compiled, values, from, to, now);
    } catch (const TemplateError& error) {
      throw_template_invalid(error);
    } catch (const mail::MessageError& error) {
      throw ApiError(400, "invalid", error.what());
    }
    if (const auto wait = repository::take_test_send(*lease, session.user_id, context.test_sends)) {
      refuse_test_send(response, context.test_sends, *wait, now);
      return;
    }
    const auto result = context.transport()->deliver(from, to, message);
    repository::record(*lease, session.user_id, "test_send",
                       {{"template_id", stored.id},
                        {"from_email", from},
                        {"to", to},
                        {"delivered", result.outcome == mail::DeliveryOutcome::delivered},
                        {"detail", result.detail}});
    if (result.outcome != mail::DeliveryOutcome::delivered) {
      spdlog::warn("test send to {} failed: {}", to, result.detail);
      throw ApiError(502, "delivery_failed", "the mail server did not take the message: " + result.detail);
    }
    send_json(response, {{"delivered", true}, {"detail", result.detail}});
  });
}

}  // namespace invites::http
