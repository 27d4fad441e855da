// The real mail path of a bounce, without the database: an invitation sent
// from its VERP address through a Postfix relay to a sink that refuses the
// recipient comes back as Postfix's own DSN into the bounce mailbox; read
// over IMAP from Dovecot, it parses to the right outcome for the right
// outbox row; processed messages are flagged or deleted and not listed again.
#include <map>

#include <catch2/catch.hpp>

#include "mail/imap_mailbox.hpp"
#include "mail/inbound_report.hpp"
#include "mail/message.hpp"
#include "mail/report_outcome.hpp"
#include "mail/transport.hpp"
#include "mail/verp.hpp"
#include "support/bounce_relay.hpp"
#include "support/smtp_sink.hpp"

using namespace invites;

namespace {

const mail::VerpCodec& codec() {
  static const std::array<unsigned char, mail::verp_secret_size> secret{1, 2, 3, 4, 5, 6, 7, 8};
  static const mail::VerpCodec verp("bounces", "bounces.test", secret);
  return verp;
}

void send_invitation(const std::string& smtp_url, std::uint64_t outbox_id, const std::string& recipient) {
  mail::OutgoingMessage message{.from = "billing@hauler.test",
                                .from_name = "Billing",
                                .to = recipient,
                                .to_name = "",
                                .subject = "Your customer portal invitation",
                                .text_body = "Hello, you are invited.",
                                .html_body = ""};
  const auto transport = mail::make_smtp_transport({.url = smtp_url});
  const auto result =
      transport->deliver(codec().address_for(outbox_id), recipient,
                         mail::build_message(message, std::time(nullptr), codec().message_id_for(outbox_id)));
  REQUIRE(result.outcome == mail::DeliveryOutcome::delivered);  // the relay queues it; the bounce comes later
}

}  // namespace

TEST_CASE("Postfix's own DSNs come back over IMAP and name the message and the verdict") {
  testing::SmtpSink sink;
  testing::BounceRelay relay({.sink_port = sink.port()});
  send_invitation(relay.smtp_url(), 501, "permfail.one@customers.test");
  send_invitation(relay.smtp_url(), 502, "tempfail.two@customers.test");
  send_invitation(relay.smtp_url(), 503, "fine.three@customers.test");
  INFO(relay.postfix_log());
  REQUIRE(relay.wait_for_mailbox(2, std::chrono::seconds(30)));

  mail::ImapMailbox mailbox({.url = relay.imap_url(),
                             .username = testing::BounceRelay::imap_user,
                             .password = testing::BounceRelay::imap_password});
  CHECK(mailbox.uid_validity() > 0);
  const auto uids = mailbox.unprocessed_uids();
  REQUIRE(uids.size() == 2);
  std::map<std::uint64_t, mail::ReportedOutcome> outcomes;
  for (const auto uid : uids) {
    const auto report = mail::read_inbound_message(mailbox.fetch(uid));
    CHECK(report.kind == mail::InboundKind::delivery_status);
    const auto outbox = mail::attributed_outbox(report, codec());
    const auto outcome = mail::reported_outcome(report);
    REQUIRE(outbox.has_value());
    REQUIRE(outcome.has_value());
    outcomes[*outbox] = *outcome;
  }
  REQUIRE(outcomes.count(501) == 1);
  CHECK(outcomes[501].kind == mail::OutcomeKind::hard_bounce);
  CHECK(outcomes[501].status == "5.1.1");
  CHECK(outcomes[501].address == "permfail.one@customers.test");
  CHECK_THAT(outcomes[501].diagnostic, Catch::Contains("Recipient address rejected"));
  REQUIRE(outcomes.count(502) == 1);
  CHECK(outcomes[502].kind == mail::OutcomeKind::soft_bounce);
  CHECK(outcomes[502].status.starts_with("4."));
  CHECK(sink.messages().size() == 1);  // only the accepted one was delivered

  // Processed messages leave the list: one flagged, one deleted.
  mailbox.mark_processed(uids[0]);
  mailbox.remove(uids[1]);
  CHECK(mailbox.unprocessed_uids().empty());
  CHECK(relay.mailbox_size() == 1);  // the flagged one stays
}

TEST_CASE("a wrong IMAP password is a clear error") {
  testing::SmtpSink sink;
  testing::BounceRelay relay({.sink_port = sink.port()});
  mail::ImapMailbox mailbox(
      {.url = relay.imap_url(), .username = testing::BounceRelay::imap_user, .password = "wrong"});
  CHECK_THROWS_WITH(mailbox.uid_validity(), Catch::Contains("IMAP STATUS") && Catch::Contains("failed"));
  CHECK_THROWS_AS(mail::ImapMailbox({.url = "pop3://127.0.0.1/"}), std::invalid_argument);
}
