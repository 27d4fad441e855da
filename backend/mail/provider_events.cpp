#include "mail/provider_events.hpp"

#include <nlohmann/json.hpp>

#include "mail/feedback_report.hpp"

namespace invites::mail {
namespace {

using nlohmann::json;

json parse_object_or_array(std::string_view body, const char* provider) {
  try {
    json parsed = json::parse(body);
    if (parsed.is_object() || parsed.is_array()) return parsed;
  } catch (const json::exception&) {
  }
  throw ReportError(std::string("the ") + provider + " event is not a JSON object or array");
}

// A string member; "" when absent and not required.
std::string text(const json& object, const char* name, const char* where, bool required = false) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) throw ReportError(std::string(where) + " has no " + name);
    return {};
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  throw ReportError(std::string(where) + "'s " + name + " is not a string");
}

const json& member(const json& object, const char* name, const char* where) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_object()) throw ReportError(std::string(where) + " has no " + name + " object");
  return *it;
}

const json& array_member(const json& object, const char* name, const char* where) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_array()) throw ReportError(std::string(where) + " has no " + name + " list");
  return *it;
}

// SES puts the original's headers in mail.commonHeaders (and mail.headers when enabled).
std::string ses_message_id(const json& mail) {
  if (auto common = mail.find("commonHeaders"); common != mail.end() && common->is_object())
    if (std::string id = text(*common, "messageId", "mail.commonHeaders"); !id.empty()) return id;
  if (auto headers = mail.find("headers"); headers != mail.end() && headers->is_array())
    for (const json& header : *headers)
      if (header.is_object() && text(header, "name", "a header") == "Message-ID")
        return text(header, "value", "a header");
  return {};
}

}  // namespace

std::vector<ProviderEvent> ses_events(std::string_view notification_json) {
  const json notification = parse_object_or_array(notification_json, "SES");
  if (!notification.is_object()) throw ReportError("the SES notification is not a JSON object");
  // SNS notifications of an identity say notificationType; event publishing says eventType.
  std::string type = text(notification, "notificationType", "the SES notification");
  if (type.empty()) type = text(notification, "eventType", "the SES notification", true);
  const json& mail = member(notification, "mail", "the SES notification");
  const std::string message_id = ses_message_id(mail);
  std::vector<ProviderEvent> events;
  if (type == "Bounce") {
    const json& bounce = member(notification, "bounce", "the SES notification");
    const std::string bounce_type = text(bounce, "bounceType", "the SES bounce", true);
    const std::string feedback_id = text(bounce, "feedbackId", "the SES bounce", true);
    for (const json& recipient : array_member(bounce, "bouncedRecipients", "the SES bounce")) {
      ProviderEvent event;
      event.address = text(recipient, "emailAddress", "a bounced recipient", true);
      event.event_id = feedback_id + ":" + event.address;
      event.kind = bounce_type == "Permanent" ? OutcomeKind::hard_bounce : OutcomeKind::soft_bounce;
      event.status = text(recipient, "status", "a bounced recipient");
      event.diagnostic = text(recipient, "diagnosticCode", "a bounced recipient");
      if (event.diagnostic.empty())
        event.diagnostic = bounce_type + " bounce (" + text(bounce, "bounceSubType", "the SES bounce") + ")";
      event.message_id = message_id;
      events.push_back(std::move(event));
    }
  } else if (type == "Complaint") {
    const json& complaint = member(notification, "complaint", "the SES notification");
    const std::string feedback_id = text(complaint, "feedbackId", "the SES complaint", true);
    const std::string feedback_type = text(complaint, "complaintFeedbackType", "the SES complaint");
    // The type is the feedback report's, when the mailbox provider sent one: a
    // "not-spam" report or a DMARC failure is not a complaint, as by mail.
    if (!feedback_type.empty() && !is_complaint_type(feedback_type)) return {};
    for (const json& recipient : array_member(complaint, "complainedRecipients", "the SES complaint")) {
      ProviderEvent event;
      event.address = text(recipient, "emailAddress", "a complained recipient", true);
      event.event_id = feedback_id + ":" + event.address;
      event.kind = OutcomeKind::complaint;
      event.diagnostic = "complaint (" + (feedback_type.empty() ? std::string("unspecified") : feedback_type) +
                         ") reported through Amazon SES";
      event.message_id = message_id;
      events.push_back(std::move(event));
    }
  }
  return events;
}

std::vector<ProviderEvent> sendgrid_events(std::string_view body) {
  const json parsed = parse_object_or_array(body, "SendGrid");
  if (!parsed.is_array()) throw ReportError("the SendGrid event webhook body is not a JSON array");
  std::vector<ProviderEvent> events;
  for (const json& item : parsed) {
    if (!item.is_object()) throw ReportError("a SendGrid event is not a JSON object");
    const std::string name = text(item, "event", "a SendGrid event", true);
    if (name != "bounce" && name != "spamreport") continue;  // deliveries, deferrals, drops, opens, ...
    ProviderEvent event;
    event.event_id = text(item, "sg_event_id", "a SendGrid event", true);
    event.address = text(item, "email", "a SendGrid event", true);
    if (name == "spamreport") {
      event.kind = OutcomeKind::complaint;
      event.diagnostic = "complaint reported through SendGrid";
    } else {
      // "blocked": the receiver refused for now (reputation, content); "bounce": the address failed.
      event.kind =
          text(item, "type", "a SendGrid event") == "blocked" ? OutcomeKind::soft_bounce : OutcomeKind::hard_bounce;
      event.status = text(item, "status", "a SendGrid event");
      event.diagnostic = text(item, "reason", "a SendGrid event");
    }
    event.message_id = text(item, "smtp-id", "a SendGrid event");
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<ProviderEvent> postmark_events(std::string_view body) {
  const json record = parse_object_or_array(body, "Postmark");
  if (!record.is_object()) throw ReportError("the Postmark webhook body is not a JSON object");
  const std::string record_type = text(record, "RecordType", "the Postmark record", true);
  const std::string type = text(record, "Type", "the Postmark record");
  ProviderEvent event;
  if (record_type == "SpamComplaint" || type == "SpamComplaint") {
    event.kind = OutcomeKind::complaint;
  } else if (record_type == "Bounce") {
    if (type == "HardBounce" || type == "BadEmailAddress")
      event.kind = OutcomeKind::hard_bounce;
    else if (type == "SoftBounce" || type == "Transient" || type == "DnsError" || type == "Blocked")
      event.kind = OutcomeKind::soft_bounce;
    else
      return {};  // auto-responders, subscription changes, challenges, ...
  } else {
    return {};  // deliveries, opens, clicks
  }
  event.event_id = text(record, "ID", "the Postmark record", true);
  event.address = text(record, "Email", "the Postmark record", true);
  const std::string description = text(record, "Description", "the Postmark record");
  const std::string details = text(record, "Details", "the Postmark record");
  event.diagnostic = type + (description.empty() ? "" : ": " + description) + (details.empty() ? "" : " " + details);
  return {event};
}

}  // namespace invites::mail
