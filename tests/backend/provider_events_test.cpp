// Provider webhook bodies, written from the providers' documentation (Amazon
// SES notification examples, SendGrid's event webhook reference, Postmark's
// bounce and spam complaint webhooks): each event type reads as the outcome
// docs/bounces.md gives it, events about nothing are left out, and bodies
// that miss what matters are a clear error.
#include <catch2/catch.hpp>

#include "mail/provider_events.hpp"

using namespace invites;
using mail::OutcomeKind;

namespace {

// An SES notification's "mail" object, as SES sends it with the original's headers.
constexpr const char* ses_mail = R"("mail": {
    "timestamp": "2026-11-27T14:59:38.237Z",
    "messageId": "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000",
    "source": "north@haul.example.com",
    "sourceArn": "arn:aws:ses:us-west-2:123456789012:identity/haul.example.com",
    "sendingAccountId": "123456789012",
    "destination": ["jane@example.com"],
    "headersTruncated": false,
    "headers": [{"name": "From", "value": "North <north@haul.example.com>"},
                {"name": "Message-ID", "value": "<from-headers@bounces.example.com>"}],
    "commonHeaders": {"from": ["North <north@haul.example.com>"], "to": ["jane@example.com"],
                      "messageId": "<abc123@bounces.example.com>", "subject": "Your portal invitation"}
  })";

std::string ses(const std::string& body) { return "{" + body + ", " + ses_mail + "}"; }

void check_event(const mail::ProviderEvent& event, const mail::ProviderEvent& expected) {
  CHECK(event.event_id == expected.event_id);
  CHECK(event.kind == expected.kind);
  CHECK(event.address == expected.address);
  CHECK(event.status == expected.status);
  CHECK(event.diagnostic == expected.diagnostic);
  CHECK(event.message_id == expected.message_id);
}

}  // namespace

TEST_CASE("SES: a permanent bounce is hard, a transient one soft, and each names the original's Message-ID") {
  const auto permanent = mail::ses_events(ses(R"("notificationType": "Bounce", "bounce": {
      "bounceType": "Permanent", "bounceSubType": "General", "feedbackId": "fb-1",
      "timestamp": "2026-11-27T14:59:38.237Z", "reportingMTA": "dsn; a27-23.smtp-out.us-west-2.amazonses.com",
      "bouncedRecipients": [{"emailAddress": "jane@example.com", "action": "failed", "status": "5.1.1",
                             "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]})"));
  REQUIRE(permanent.size() == 1);
  check_event(permanent[0], {.event_id = "fb-1:jane@example.com",
                             .kind = OutcomeKind::hard_bounce,
                             .address = "jane@example.com",
                             .status = "5.1.1",
                             .diagnostic = "smtp; 550 5.1.1 user unknown",
                             .message_id = "<abc123@bounces.example.com>"});

  // A full mailbox: SES gives no status or diagnostic per recipient, so the bounce type says what happened.
  const auto transient = mail::ses_events(ses(R"("notificationType": "Bounce", "bounce": {
      "bounceType": "Transient", "bounceSubType": "MailboxFull", "feedbackId": "fb-2",
      "timestamp": "2026-11-27T14:59:38.237Z",
      "bouncedRecipients": [{"emailAddress": "jane@example.com"}, {"emailAddress": "kim@example.com"}]})"));
  REQUIRE(transient.size() == 2);
  for (const auto& event : transient) {
    CHECK(event.kind == OutcomeKind::soft_bounce);
    CHECK(event.status.empty());
    CHECK(event.diagnostic == "Transient bounce (MailboxFull)");
  }
  CHECK(transient[1].address == "kim@example.com");
  CHECK(transient[1].event_id == "fb-2:kim@example.com");

  // Event publishing (a configuration set) says eventType; without commonHeaders the headers list gives the id.
  const auto published = mail::ses_events(R"({"eventType": "Bounce", "bounce": {
      "bounceType": "Undetermined", "bounceSubType": "Undetermined", "feedbackId": "fb-3",
      "bouncedRecipients": [{"emailAddress": "jane@example.com"}]},
      "mail": {"messageId": "x", "headers": [{"name": "Message-ID", "value": "<h@bounces.example.com>"}]}})");
  REQUIRE(published.size() == 1);
  CHECK(published[0].kind == OutcomeKind::soft_bounce);
  CHECK(published[0].message_id == "<h@bounces.example.com>");
}

TEST_CASE("SES: a complaint is a complaint of each complainant, unless its feedback type says not spam") {
  const auto complaint = mail::ses_events(ses(R"json("notificationType": "Complaint", "complaint": {
      "userAgent": "AnyCompany Feedback Loop (V0.01)",
      "complainedRecipients": [{"emailAddress": "richard@example.com"}],
      "complaintFeedbackType": "abuse", "arrivalDate": "2026-11-27T14:59:38.237Z",
      "timestamp": "2026-11-27T14:59:38.237Z",
      "feedbackId": "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000"})json"));
  REQUIRE(complaint.size() == 1);
  check_event(complaint[0],
              {.event_id = "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000:richard@example.com",
               .kind = OutcomeKind::complaint,
               .address = "richard@example.com",
               .status = "",
               .diagnostic = "complaint (abuse) reported through Amazon SES",
               .message_id = "<abc123@bounces.example.com>"});

  // Complaints that came without a feedback report have no type: still complaints.
  const auto untyped = mail::ses_events(ses(R"("notificationType": "Complaint", "complaint": {
      "complainedRecipients": [{"emailAddress": "richard@example.com"}], "feedbackId": "fb-4"})"));
  REQUIRE(untyped.size() == 1);
  CHECK(untyped[0].diagnostic == "complaint (unspecified) reported through Amazon SES");

  // "not-spam" and DMARC's "auth-failure" are no complaint, as in a mailed report (RFC 5965).
  for (const std::string type : {"not-spam", "auth-failure"}) {
    INFO(type);
    CHECK(mail::ses_events(ses(R"("notificationType": "Complaint", "complaint": {
        "complainedRecipients": [{"emailAddress": "richard@example.com"}], "feedbackId": "fb-5",
        "complaintFeedbackType": ")" +
                               type + R"("})"))
              .empty());
  }

  // Deliveries say nothing about a bad address.
  CHECK(mail::ses_events(ses(R"("notificationType": "Delivery", "delivery": {"recipients": ["jane@example.com"]})"))
            .empty());
}

TEST_CASE("SES: a notification without what it needs is an error that names it") {
  const auto error_of = [](const std::string& body) {
    try {
      mail::ses_events(body);
    } catch (const mail::ReportError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("[1]") == "the SES notification is not a JSON object");
  CHECK(error_of("{") == "the SES event is not a JSON object or array");
  CHECK(error_of(ses(R"("notificationType": "Complaint")")) == "the SES notification has no complaint object");
  CHECK(error_of(ses(R"("notificationType": "Bounce", "bounce": {"bounceType": "Permanent", "feedbackId": "f"})")) ==
        "the SES bounce has no bouncedRecipients list");
  CHECK(error_of(ses(
            R"("notificationType": "Complaint", "complaint": {"complainedRecipients": [{}], "feedbackId": "f"})")) ==
        "a complained recipient has no emailAddress");
  CHECK(error_of(R"({"notificationType": "Bounce"})") == "the SES notification has no mail object");
}

TEST_CASE("SendGrid: a bounce is hard, a blocked one soft, a spam report a complaint, other events are left out") {
  const auto events = mail::sendgrid_events(R"([
    {"email": "gone@example.com", "timestamp": 1513299569, "smtp-id": "<abc123@bounces.example.com>",
     "event": "bounce", "category": "invites", "sg_event_id": "6g4ZI7SA-xmRDv57GoPIPw==",
     "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
     "reason": "500 unknown recipient", "status": "5.0.0", "type": "bounce"},
    {"email": "busy@example.com", "timestamp": 1513299569, "event": "bounce", "sg_event_id": "ev-2",
     "reason": "451 4.7.1 try again later", "status": "4.7.1", "type": "blocked"},
    {"email": "angry@example.com", "timestamp": 1513299569, "event": "spamreport", "sg_event_id": "ev-3",
     "smtp-id": "<def456@bounces.example.com>"},
    {"email": "fine@example.com", "timestamp": 1513299569, "event": "delivered", "sg_event_id": "ev-4",
     "response": "250 OK"},
    {"email": "late@example.com", "timestamp": 1513299569, "event": "deferred", "sg_event_id": "ev-5",
     "response": "400 try again later", "attempt": "5"},
    {"email": "dropped@example.com", "timestamp": 1513299569, "event": "dropped", "sg_event_id": "ev-6",
     "reason": "Bounced Address"},
    {"email": "reader@example.com", "timestamp": 1513299569, "event": "open", "sg_event_id": "ev-7"}
  ])");
  REQUIRE(events.size() == 3);
  check_event(events[0], {.event_id = "6g4ZI7SA-xmRDv57GoPIPw==",
                          .kind = OutcomeKind::hard_bounce,
                          .address = "gone@example.com",
                          .status = "5.0.0",
                          .diagnostic = "500 unknown recipient",
                          .message_id = "<abc123@bounces.example.com>"});
  CHECK(events[1].kind == OutcomeKind::soft_bounce);
  CHECK(events[1].status == "4.7.1");
  CHECK(events[2].kind == OutcomeKind::complaint);
  CHECK(events[2].address == "angry@example.com");
  CHECK(events[2].message_id == "<def456@bounces.example.com>");

  CHECK_THROWS_WITH(mail::sendgrid_events(R"({"event": "bounce"})"),
                    "the SendGrid event webhook body is not a JSON array");
  CHECK_THROWS_WITH(mail::sendgrid_events(R"([{"event": "bounce", "email": "a@example.com"}])"),
                    "a SendGrid event has no sg_event_id");
}

TEST_CASE("Postmark: hard and soft bounce types and spam complaints, but no auto-responders or deliveries") {
  const auto record = [](const std::string& type, int code, const std::string& description) {
    return R"({"RecordType": "Bounce", "MessageStream": "outbound", "ID": 4323372036854775807, "Type": ")" + type +
           R"(", "TypeCode": )" + std::to_string(code) +
           R"(, "Name": "n", "Tag": "Invitation", "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
               "ServerID": 23, "Description": ")" +
           description + R"(", "Details": "smtp;550 5.1.1 no such user", "Email": "jane@example.com",
               "From": "north@haul.example.com", "BouncedAt": "2026-11-27T16:33:54.9070259Z",
               "DumpAvailable": true, "Inactive": true, "CanActivate": true, "Subject": "Invitation"})";
  };
  const auto kind_of = [](const std::string& body) {
    const auto events = mail::postmark_events(body);
    REQUIRE(events.size() == 1);
    return events[0].kind;
  };
  CHECK(kind_of(record("HardBounce", 1, "The server was unable to deliver your message")) == OutcomeKind::hard_bounce);
  CHECK(kind_of(record("BadEmailAddress", 100000, "Invalid email address")) == OutcomeKind::hard_bounce);
  for (const auto& [type, code] :
       {std::pair<std::string, int>{"SoftBounce", 4096}, {"Transient", 2}, {"DnsError", 2048}, {"Blocked", 100001}}) {
    INFO(type);
    CHECK(kind_of(record(type, code, "Unable to deliver for now")) == OutcomeKind::soft_bounce);
  }
  const auto soft = mail::postmark_events(record("SoftBounce", 4096, "Unable to temporarily deliver this email."));
  REQUIRE(soft.size() == 1);
  // Postmark's MessageID is its own, not the message's header: no message_id.
  check_event(soft[0],
              {.event_id = "4323372036854775807",
               .kind = OutcomeKind::soft_bounce,
               .address = "jane@example.com",
               .status = "",
               .diagnostic = "SoftBounce: Unable to temporarily deliver this email. smtp;550 5.1.1 no such user",
               .message_id = ""});

  const auto complaint = mail::postmark_events(R"({"RecordType": "SpamComplaint", "MessageStream": "outbound",
      "ID": 42, "Type": "SpamComplaint", "TypeCode": 512, "Name": "Spam complaint", "Tag": "Invitation",
      "MessageID": "00000000-0000-0000-0000-000000000000", "ServerID": 1234,
      "Description": "The subscriber explicitly marked this message as spam.", "Details": "Test spam complaint details",
      "Email": "john@example.com", "From": "north@haul.example.com", "BouncedAt": "2026-11-05T16:33:54.9070259Z",
      "DumpAvailable": true, "Inactive": true, "CanActivate": false, "Subject": "Invitation", "Content": "<dump>"})");
  REQUIRE(complaint.size() == 1);
  check_event(complaint[0], {.event_id = "42",
                             .kind = OutcomeKind::complaint,
                             .address = "john@example.com",
                             .status = "",
                             .diagnostic = "SpamComplaint: The subscriber explicitly marked this message as spam. "
                                           "Test spam complaint details",
                             .message_id = ""});

  CHECK(mail::postmark_events(record("AutoResponder", 16, "Automatic email responder")).empty());
  CHECK(mail::postmark_events(R"({"RecordType": "Delivery", "ID": 1, "Recipient": "jane@example.com"})").empty());
  CHECK_THROWS_WITH(mail::postmark_events(R"({"RecordType": "Bounce", "Type": "HardBounce", "ID": 7})"),
                    "the Postmark record has no Email");
  CHECK_THROWS_WITH(mail::postmark_events("[]"), "the Postmark webhook body is not a JSON object");
}
