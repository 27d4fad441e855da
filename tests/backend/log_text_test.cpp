// The server log keeps every message on its line (issue 12 item 15): control
// characters in any logged value are escaped, by the helper and by the
// server's log format itself.
#include <sstream>

#include <catch2/catch.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cli/logging.hpp"
#include "security/log_text.hpp"

using invites::security::escape_control_characters;

TEST_CASE("escape_control_characters writes control bytes as \\xNN and keeps the rest") {
  CHECK(escape_control_characters("plain text, UTF-8 \xc3\xa4 and \\ stay") ==
        "plain text, UTF-8 \xc3\xa4 and \\ stay");
  CHECK(escape_control_characters("a\nb\rc\td\x1b[2Je\x7f") == "a\\x0ab\\x0dc\\x09d\\x1b[2Je\\x7f");
  CHECK(escape_control_characters(std::string_view("nul\0end", 7)) == "nul\\x00end");
  CHECK(escape_control_characters("").empty());
}

TEST_CASE("escape_control_characters also escapes C1 controls and the Unicode line and paragraph separators") {
  // NEL (U+0085), U+009F, LINE SEPARATOR and PARAGRAPH SEPARATOR: some log viewers break lines at them.
  CHECK(escape_control_characters("a\xc2\x85"
                                  "b\xc2\x9f"
                                  "c\xe2\x80\xa8"
                                  "d\xe2\x80\xa9"
                                  "e") == "a\\xc2\\x85b\\xc2\\x9fc\\xe2\\x80\\xa8d\\xe2\\x80\\xa9e");
  // Their neighbours are text: U+00A0, U+00C5 (its second byte is 0x85), U+2027, U+202A, U+2026.
  const std::string text = "\xc2\xa0 \xc3\x85 \xe2\x80\xa7 \xe2\x80\xaa \xe2\x80\xa6";
  CHECK(escape_control_characters(text) == text);
  CHECK(invites::security::control_character_length("\xc2\x85rest") == 2);
  CHECK(invites::security::control_character_length("\xe2\x80\xa8rest") == 3);
  CHECK(invites::security::control_character_length("\xc2") == 0);
}

TEST_CASE("the server log format escapes control characters in every logged value") {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_formatter(invites::cli::log_formatter());
  spdlog::logger logger("test", sink);

  // A value a client chose (an address from X-Forwarded-For, an SMTP reply
  // quoting the recipient, a path) with a forged second line in it.
  logger.warn("test send to {} failed: {}", "eve@example.com", "550 no\n2026-12-06T07:00:00.000+00:00 info forged");
  const std::string line = out.str();
  CHECK(line.find('\n') == line.size() - 1);  // only the line's own end
  CHECK(
      line.find(" warning test send to eve@example.com failed: 550 no\\x0a2026-12-06T07:00:00.000+00:00 info forged") !=
      std::string::npos);
  CHECK(line.rfind("20", 0) == 0);  // starts with the time

  out.str("");
  logger.warn("login failed for {}",
              "eve\xe2\x80\xa8"
              "2026-12-06T07:00:00.000+00:00 info forged\xc2\x85");
  CHECK(out.str().find(" warning login failed for eve\\xe2\\x80\\xa82026-12-06T07:00:00.000+00:00 info "
                       "forged\\xc2\\x85\n") != std::string::npos);
}
