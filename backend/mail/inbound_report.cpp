#include "mail/inbound_report.hpp"

#include "mail/auto_reply.hpp"
#include "mail/mime_tree.hpp"

namespace invites::mail {
namespace {

// The first multipart/report of the message, searched depth first, without
// looking into enclosed messages (a returned original may hold anything).
std::optional<MimeNode> find_report(const MimeNode& node) {
  if (node.content_type() == "multipart/report") return node;
  if (node.content_type() == "message/rfc822") return std::nullopt;
  for (const MimeNode& child : node.children())
    if (auto found = find_report(child)) return found;
  return std::nullopt;
}

std::optional<MimeNode> child_of_type(const MimeNode& report, std::initializer_list<std::string_view> types) {
  for (const MimeNode& child : report.children())
    for (std::string_view type : types)
      if (child.content_type() == type) return child;
  return std::nullopt;
}

void add_if_present(std::vector<std::string>& out, const std::optional<std::string>& value) {
  if (value && !value->empty()) out.push_back(*value);
}

// The returned original (third part): a whole message, or only its headers.
void read_original(const MimeNode& report, InboundReport& out) {
  if (auto enclosed = child_of_type(report, {"message/rfc822", "message/global"})) {
    for (const MimeNode& message : enclosed->children()) {
      add_if_present(out.original_senders, message.header("Return-Path"));
      out.original_message_id = message.header("Message-ID").value_or("");
    }
  } else if (auto headers = child_of_type(report, {"text/rfc822-headers", "message/global-headers"})) {
    const ParsedMessage original(headers->body() + "\r\n");
    add_if_present(out.original_senders, original.message().header("Return-Path"));
    out.original_message_id = original.message().header("Message-ID").value_or("");
  }
}

std::string describe(const ParsedMessage& parsed) {
  return "Content-Type " + parsed.body().content_type() + ", Subject \"" +
         parsed.message().header("Subject").value_or("") + "\"";
}

}  // namespace

InboundReport read_inbound_message(std::string_view raw) {
  const ParsedMessage parsed(raw);
  const MimeNode message = parsed.message();
  InboundReport out;
  out.message_id = message.header("Message-ID").value_or("");
  out.date = message.header("Date").value_or("");
  for (const char* name : {"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"})
    for (const std::string& value : message.headers(name)) out.envelope_recipients.push_back(value);

  // Reports first: a delivery report is itself marked Auto-Submitted.
  if (auto report = find_report(parsed.body())) {
    const std::string report_type = report->content_type_parameter("report-type").value_or("");
    if (auto status = child_of_type(*report, {"message/delivery-status", "message/global-delivery-status"})) {
      out.kind = InboundKind::delivery_status;
      out.delivery = parse_delivery_status(status->body());
    } else if (auto feedback = child_of_type(*report, {"message/feedback-report"})) {
      out.kind = InboundKind::feedback;
      out.feedback = parse_feedback_report(feedback->body());
      add_if_present(out.original_senders, out.feedback.original_mail_from);
    } else {
      throw ReportError("a multipart/report (report-type \"" + report_type +
                        "\") without a message/delivery-status or message/feedback-report part");
    }
    read_original(*report, out);
    return out;
  }
  if (auto reason = auto_reply_reason(message)) {
    out.kind = InboundKind::auto_reply;
    out.auto_reply_reason = *reason;
    return out;
  }
  throw ReportError("neither a delivery report, a complaint report nor an auto-reply (" + describe(parsed) + ")");
}

}  // namespace invites::mail
