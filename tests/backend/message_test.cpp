// Message building and its encodings, without a server.
#include <catch2/catch.hpp>

#include <sodium.h>

#include <regex>

#include "mail/message.hpp"
#include "mail/mime_encoding.hpp"

using invites::mail::OutgoingMessage;

namespace {

int hex_value(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

// RFC 2045 decoding, strict about what our encoder must produce.
std::string decode_quoted_printable(const std::string& encoded) {
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '=') {
      out.push_back(encoded[i]);
    } else if (encoded.compare(i, 3, "=\r\n") == 0) {
      i += 2;  // soft line break
    } else {
      REQUIRE(i + 2 < encoded.size() + 0);
      out.push_back(static_cast<char>(hex_value(encoded[i + 1]) * 16 + hex_value(encoded[i + 2])));
      i += 2;
    }
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find("\r\n", start)) != std::string::npos; start = end + 2)
    lines.push_back(text.substr(start, end - start));
  lines.push_back(text.substr(start));
  return lines;
}

std::string decode_base64(const std::string& text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                            &length, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
  out.resize(length);
  return out;
}

// Unfolds a header value and decodes its encoded-words (as a reader would).
std::string decode_header_value(std::string value) {
  value = std::regex_replace(value, std::regex("\r\n"), "");
  std::regex word("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=");
  // Whitespace between two encoded-words is not part of the text.
  value = std::regex_replace(value, std::regex("\\?= +=\\?"), "?==?");
  std::string out;
  std::sregex_iterator it(value.begin(), value.end(), word), end;
  std::size_t last = 0;
  for (; it != end; ++it) {
    out += value.substr(last, static_cast<std::size_t>(it->position()) - last);
    out += decode_base64((*it)[1]);
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  return out + value.substr(last);
}

// The value of header `name` (with its folds) in a built message.
std::string header_of(const std::string& message, const std::string& name) {
  std::size_t start = message.find("\r\n" + name + ": ");
  if (message.starts_with(name + ": "))
    start = 0;
  else if (start != std::string::npos)
    start += 2;
  REQUIRE(start != std::string::npos);
  start += name.size() + 2;
  std::size_t end = start;
  while (true) {
    end = message.find("\r\n", end);
    if (message[end + 2] != ' ' && message[end + 2] != '\t') break;
    end += 2;
  }
  return message.substr(start, end - start);
}

OutgoingMessage simple_message() {
  return {.from = "portal@example.com", .to = "maria@example.com", .subject = "Hello", .text_body = "Hi\n"};
}

}  // namespace

TEST_CASE("quoted-printable round trips and keeps its line limits") {
  std::string text =
      "Grüße — Einladung = Gleichung\n"
      "trailing space \n"
      "trailing tab\t\n" +
      std::string(200, 'x') + "\n" + std::string(100, '\xC3') + "\n" + ".leading dot\r\nCRLF line\rCR line\nlast";
  std::string encoded = invites::mail::quoted_printable(text);
  for (const auto& line : lines_of(encoded)) {
    CHECK(line.size() <= 76);
    CHECK_FALSE(line.ends_with(" "));
    CHECK_FALSE(line.ends_with("\t"));
    for (char c : line) CHECK(((c >= 0x20 && c <= 0x7E) || c == '\t'));
  }
  CHECK(encoded.find("=_") == std::string::npos);
  std::string expected =
      std::regex_replace(std::regex_replace(text, std::regex("\r\n|\r"), "\n"), std::regex("\n"), "\r\n");
  CHECK(decode_quoted_printable(encoded) == expected);
  CHECK(invites::mail::quoted_printable("a=b") == "a=3Db");
  CHECK(invites::mail::quoted_printable("end \nx") == "end=20\r\nx");
  CHECK(invites::mail::quoted_printable("ü") == "=C3=BC");
  CHECK(invites::mail::quoted_printable("") == "");
  // Exactly 76 characters fit on a line; 77 need a soft break.
  CHECK(invites::mail::quoted_printable(std::string(76, 'a')) == std::string(76, 'a'));
  CHECK(invites::mail::quoted_printable(std::string(77, 'a')) == std::string(75, 'a') + "=\r\naa");
}

TEST_CASE("a non-ASCII subject becomes RFC 2047 encoded-words that decode back") {
  auto message = simple_message();
  message.subject = "Grüße — Einladung";
  std::string built = invites::mail::build_message(message, 0, "<1@example.com>");
  std::string subject = header_of(built, "Subject");
  CHECK(subject.starts_with("=?UTF-8?B?"));
  CHECK(decode_header_value(subject) == "Grüße — Einladung");
}

TEST_CASE("long subjects are folded within 78 characters and unfold to the text") {
  std::string ascii;
  for (int i = 0; i < 30; ++i) ascii += "word" + std::to_string(i) + " ";
  ascii += "end";
  std::string non_ascii;
  for (int i = 0; i < 20; ++i) non_ascii += "Grüße—Ümläute ";
  for (const std::string& text :
       {ascii, non_ascii, std::string("  two  spaces  kept  ") + std::string(90, 'a') + " =?x?= z"}) {
    auto message = simple_message();
    message.subject = text;
    std::string built = invites::mail::build_message(message, 0, "<1@example.com>");
    std::string headers = built.substr(0, built.find("\r\n\r\n"));
    for (const auto& line : lines_of(headers)) CHECK(line.size() <= 78);
    CHECK(decode_header_value(header_of(built, "Subject")) == text);
  }
  auto plain = simple_message();
  plain.subject = ascii;
  CHECK(header_of(invites::mail::build_message(plain, 0, "<1@example.com>"), "Subject").find("=?") ==
        std::string::npos);
}

TEST_CASE("display names are atoms, quoted strings or encoded-words") {
  CHECK(invites::mail::display_name_phrase("Maria Lopez") == "Maria Lopez");
  CHECK(invites::mail::display_name_phrase("Lopez, Maria") == "\"Lopez, Maria\"");
  CHECK(invites::mail::display_name_phrase("Say \"hi\" \\o/") == "\"Say \\\"hi\\\" \\\\o/\"");
  CHECK(decode_header_value(invites::mail::display_name_phrase("Müller")) == "Müller");

  auto message = simple_message();
  message.from_name = "Kundenportal Müller";
  message.to_name = "Lopez, Maria";
  std::string built = invites::mail::build_message(message, 0, "<1@example.com>");
  CHECK(decode_header_value(header_of(built, "From")) == "Kundenportal Müller <portal@example.com>");
  CHECK(header_of(built, "To") == "\"Lopez, Maria\" <maria@example.com>");
  message.to_name.clear();
  CHECK(header_of(invites::mail::build_message(message, 0, "<1@example.com>"), "To") == "maria@example.com");
}

TEST_CASE("a text-only message is one quoted-printable text/plain part") {
  auto message = simple_message();
  message.text_body = "Line one\nline two";
  std::string built = invites::mail::build_message(message, 86400 * 365, "<abc@example.com>");
  CHECK(built.starts_with("Date: Fri, 01 Jan 1971 00:00:00 +0000\r\n"));
  CHECK(header_of(built, "From") == "portal@example.com");
  CHECK(header_of(built, "Message-ID") == "<abc@example.com>");
  CHECK(header_of(built, "Auto-Submitted") == "auto-generated");  // RFC 3834: no vacation replies
  CHECK(header_of(built, "MIME-Version") == "1.0");
  CHECK(header_of(built, "Content-Type") == "text/plain; charset=UTF-8");
  CHECK(header_of(built, "Content-Transfer-Encoding") == "quoted-printable");
  CHECK(built.ends_with("\r\n\r\nLine one\r\nline two\r\n"));
  CHECK(built.find("multipart") == std::string::npos);
}

TEST_CASE("an HTML message is multipart/alternative with a fresh boundary, text first") {
  auto message = simple_message();
  message.text_body = "Text\n";
  message.html_body = "<p>HTML</p>\n";
  std::string built = invites::mail::build_message(message, 0, "<1@example.com>");
  std::smatch match;
  REQUIRE(
      std::regex_search(built, match, std::regex("multipart/alternative;\r\n boundary=\"(=_invites_[0-9a-f]{32})\"")));
  std::string boundary = match[1];
  std::size_t text = built.find("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\n");
  std::size_t html = built.find("\r\n--" + boundary + "\r\nContent-Type: text/html; charset=UTF-8\r\n");
  std::size_t close = built.find("\r\n--" + boundary + "--\r\n");
  CHECK(text != std::string::npos);
  CHECK(html > text);
  CHECK(close > html);
  CHECK(built.ends_with("--" + boundary + "--\r\n"));
  // Another message, another boundary.
  CHECK(invites::mail::build_message(message, 0, "<1@example.com>").find(boundary) == std::string::npos);
}

TEST_CASE("built messages have no bare LF or CR and no line over 998") {
  auto message = simple_message();
  message.subject = std::string(240, 'x');
  message.text_body = "a\nb\rc\r\n" + std::string(3000, 'y');
  message.html_body = "<p>\n" + std::string(3000, 'z') + "</p>";
  std::string built = invites::mail::build_message(message, 0, "<1@example.com>");
  for (std::size_t i = 0; i < built.size(); ++i) {
    if (built[i] == '\n') CHECK((i > 0 && built[i - 1] == '\r'));
    if (built[i] == '\r') CHECK((i + 1 < built.size() && built[i + 1] == '\n'));
  }
  for (const auto& line : lines_of(built)) CHECK(line.size() <= 998);
}

TEST_CASE("message ids are random hex at the sender's domain") {
  std::string first = invites::mail::new_message_id("Portal@Example.COM");
  std::string second = invites::mail::new_message_id("portal@example.com");
  CHECK(std::regex_match(first, std::regex("<[0-9a-f]{32}@example\\.com>")));
  CHECK(first != second);
  CHECK(std::regex_match(invites::mail::new_message_id("not an address"), std::regex("<[0-9a-f]{32}@[a-z.]+>")));
  auto message = simple_message();
  CHECK_NOTHROW(invites::mail::build_message(message, 0, first));
  CHECK_THROWS_AS(invites::mail::build_message(message, 0, "no-brackets@example.com"), invites::mail::MessageError);
  CHECK_THROWS_AS(invites::mail::build_message(message, 0, "<a b@example.com>"), invites::mail::MessageError);
}

TEST_CASE("addresses are normalized and validated") {
  auto message = simple_message();
  message.to = " Maria@Example.COM ";
  CHECK(header_of(invites::mail::build_message(message, 0, "<1@example.com>"), "To") == "maria@example.com");
  message.to = "maria@localhost";
  CHECK_THROWS_WITH(invites::mail::build_message(message, 0, "<1@example.com>"),
                    "to \"maria@localhost\" is not a valid address");
  message.to = "maria@example.com";
  message.subject = std::string("a\0b", 3);
  CHECK_THROWS_WITH(invites::mail::build_message(message, 0, "<1@example.com>"), "subject contains a NUL byte");
}
