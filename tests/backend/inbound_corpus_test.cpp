// Incoming mail against a corpus of delivery reports, complaint reports and
// auto-replies in the formats of Postfix, Exim, Exchange, Gmail, Outlook and
// Amazon SES, plus malformed ones (tests/backend/inbound_corpus, expectations
// in expected.json). Samples name their VERP tokens as {{token:N}} (made with
// the test key for outbox N) or {{forged:N}} (made with another key).
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "mail/inbound_report.hpp"
#include "mail/report_outcome.hpp"
#include "mail/verp.hpp"

using namespace invites;

namespace {

const std::filesystem::path corpus = INVITES_INBOUND_CORPUS_DIR;

mail::VerpCodec codec_with_key(unsigned char fill) {
  const std::array<unsigned char, mail::verp_secret_size> secret = [&] {
    std::array<unsigned char, mail::verp_secret_size> bytes;
    bytes.fill(fill);
    return bytes;
  }();
  return mail::VerpCodec("bounces", "bounces.example.com", secret);
}

const mail::VerpCodec& test_codec() {
  static const mail::VerpCodec codec = codec_with_key(7);
  return codec;
}

// The sample with its token placeholders replaced.
std::string sample(const std::string& name) {
  static const mail::VerpCodec forger = codec_with_key(99);
  std::string text = testing::file_text(corpus / name);
  static const std::regex placeholder(R"(\{\{(token|forged):(\d+)\}\})");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), placeholder);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out.append(text, last, static_cast<std::size_t>(it->position()) - last);
    const auto id = std::stoull((*it)[2].str());
    out += (*it)[1] == "token" ? test_codec().token_for(id) : forger.token_for(id);
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  out.append(text, last);
  return out;
}

nlohmann::json expectations() { return nlohmann::json::parse(testing::file_text(corpus / "expected.json")); }

std::string kind_name(mail::InboundKind kind) {
  switch (kind) {
    case mail::InboundKind::delivery_status:
      return "delivery_status";
    case mail::InboundKind::feedback:
      return "feedback";
    case mail::InboundKind::auto_reply:
      return "auto_reply";
  }
  return "?";
}

std::string crlf(const std::string& text) { return std::regex_replace(text, std::regex("\n"), "\r\n"); }

}  // namespace

TEST_CASE("every sample of the corpus has an expectation and every expectation a sample") {
  const auto expected = expectations();
  std::size_t samples = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".eml") continue;
    ++samples;
    INFO(entry.path().filename());
    CHECK(expected.contains(entry.path().filename().string()));
  }
  CHECK(samples == expected.size());
  CHECK(samples >= 25);
}

TEST_CASE("each sample reads as expected, with LF and with CRLF line ends") {
  const nlohmann::json all = expectations();
  for (const auto& [name, expected] : all.items()) {
    for (const bool with_crlf : {false, true}) {
      INFO(name << (with_crlf ? " (CRLF)" : " (LF)"));
      const std::string raw = with_crlf ? crlf(sample(name)) : sample(name);
      if (expected["kind"] == "error") {
        try {
          mail::read_inbound_message(raw);
          FAIL("no error");
        } catch (const mail::ReportError& e) {
          CHECK_THAT(e.what(), Catch::Contains(expected["error"].get<std::string>()));
        }
        continue;
      }
      const mail::InboundReport report = mail::read_inbound_message(raw);
      CHECK(kind_name(report.kind) == expected["kind"]);
      const auto outcome = mail::reported_outcome(report);
      if (expected["outcome"].is_null()) {
        CHECK_FALSE(outcome.has_value());
      } else {
        REQUIRE(outcome.has_value());
        CHECK(mail::outcome_kind_name(outcome->kind) == expected["outcome"]);
        if (expected.contains("status")) CHECK(outcome->status == expected["status"]);
        if (expected.contains("address")) CHECK(outcome->address == expected["address"]);
        if (expected.contains("diagnostic"))
          CHECK_THAT(outcome->diagnostic, Catch::Contains(expected["diagnostic"].get<std::string>()));
      }
      const auto outbox = mail::attributed_outbox(report, test_codec());
      if (expected["outbox"].is_null())
        CHECK_FALSE(outbox.has_value());
      else
        CHECK(outbox == expected["outbox"].get<std::uint64_t>());
    }
  }
}

TEST_CASE("a delivery report names each field of its recipients") {
  const auto report = mail::read_inbound_message(sample("exchange_hard.eml"));
  REQUIRE(report.delivery.recipients.size() == 1);
  const auto& recipient = report.delivery.recipients.front();
  CHECK(report.delivery.reporting_mta == "dns;EXCH01.corp.example");
  CHECK(recipient.final_recipient == "former.employee@corp.example");
  CHECK(recipient.original_recipient == "former.employee@corp.example");
  CHECK(recipient.action == mail::RecipientAction::failed);
  CHECK(recipient.status == "5.1.10");
  // A folded Diagnostic-Code is unfolded.
  CHECK(recipient.diagnostic_code ==
        "smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup");
  CHECK(mail::severity_of(recipient) == mail::BounceSeverity::hard);
}

TEST_CASE("a complaint report names the complainant and the original sender") {
  const auto report = mail::read_inbound_message(sample("arf_abuse.eml"));
  CHECK(report.feedback.feedback_type == "abuse");
  CHECK(report.feedback.user_agent == "SomeGenerator/1.0");
  CHECK(report.feedback.original_rcpt_to == std::vector<std::string>{"angry.customer@mailbox-provider.example"});
  CHECK(report.feedback.source_ip == "198.51.100.8");
  CHECK(test_codec().outbox_id_of_address(report.feedback.original_mail_from) == 1009u);
}

TEST_CASE("damaged samples never crash the reader: a report or a ReportError, nothing else") {
  std::mt19937 random(20261206);
  std::size_t read = 0, refused = 0;
  const nlohmann::json all = expectations();
  for (const auto& [name, expected] : all.items()) {
    const std::string raw = sample(name);
    std::vector<std::string> damaged;
    for (std::size_t cut = 0; cut < raw.size(); cut += 97) damaged.push_back(raw.substr(0, cut));
    for (int i = 0; i < 40 && !raw.empty(); ++i) {
      std::string flipped = raw;
      for (int k = 0; k < 8; ++k) flipped[random() % flipped.size()] = static_cast<char>(random() % 256);
      damaged.push_back(std::move(flipped));
    }
    for (const std::string& text : damaged) {
      try {
        const auto report = mail::read_inbound_message(text);
        mail::reported_outcome(report);
        mail::attributed_outbox(report, test_codec());
        ++read;
      } catch (const mail::ReportError&) {
        ++refused;
      }
    }
  }
  CHECK(read > 0);
  CHECK(refused > 0);
}
