#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "invites/template.hpp"

using invites::ContentType;
using invites::MergeValues;
using invites::TemplateError;
using invites::TemplateText;

namespace {

TemplateText html_template(std::string subject, std::string body, std::string text_body = "") {
  return {std::move(subject), ContentType::html, std::move(body), std::move(text_body)};
}
TemplateText plain_template(std::string subject, std::string body) {
  return {std::move(subject), ContentType::plain, std::move(body), ""};
}

// The TemplateError thrown by validate_template (fails the test when none is).
TemplateError error_of(const TemplateText& text) {
  try {
    invites::validate_template(text);
  } catch (const TemplateError& error) {
    return error;
  }
  FAIL("validate_template accepted the template");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("content type names round trip") {
  CHECK(invites::content_type_name(ContentType::html) == "text/html");
  CHECK(invites::content_type_name(ContentType::plain) == "text/plain");
  CHECK(invites::parse_content_type("text/html") == ContentType::html);
  CHECK(invites::parse_content_type("text/plain") == ContentType::plain);
  CHECK_FALSE(invites::parse_content_type("text/rtf").has_value());
}

TEST_CASE("the merge fields are documented, in order, with examples") {
  std::vector<std::string> names;
  for (const auto& field : invites::merge_fields()) {
    names.emplace_back(field.name);
    CHECK_FALSE(field.description.empty());
    CHECK_FALSE(field.example.empty());
  }
  CHECK(names == std::vector<std::string>{"contact.first_name", "contact.last_name", "contact.email", "account.number",
                                          "account.name", "division.name", "invite.url", "invite.expires_on",
                                          "sender.email"});
}

TEST_CASE("every merge field renders its value in every part") {
  std::string all;
  std::string subject;  // without the names, to stay under 255 bytes
  for (const auto& field : invites::merge_fields()) {
    all += "[" + std::string(field.name) + "={{" + std::string(field.name) + "}}]";
    subject += "[{{" + std::string(field.name) + "}}]";
  }
  MergeValues values = invites::example_merge_values();
  auto rendered = invites::render_template(html_template(subject, "<p>" + all + "</p>", all), values);
  for (const auto& field : invites::merge_fields()) {
    std::string expected = "[" + std::string(field.name) + "=" + std::string(field.example) + "]";
    CHECK_THAT(rendered.subject, Catch::Contains("[" + std::string(field.example) + "]"));
    CHECK_THAT(rendered.html_body, Catch::Contains(expected));
    CHECK_THAT(rendered.text_body, Catch::Contains(expected));
  }
  CHECK(values.contact_first_name == "Maria");
  CHECK(values.invite_expires_on == "2026-12-10");
}

TEST_CASE("HTML bodies escape values, subject and text bodies do not") {
  MergeValues values = invites::example_merge_values();
  values.account_name = "Smith & Sons <b>\"Tools\"</b> 'n' more";
  auto rendered = invites::render_template(
      html_template("Invite for {{account.name}}", "<p>{{account.name}}</p>", "Account: {{account.name}}"), values);
  CHECK(rendered.html_body == "<p>Smith &amp; Sons &lt;b&gt;&quot;Tools&quot;&lt;/b&gt; &apos;n&apos; more</p>");
  CHECK(rendered.subject == "Invite for Smith & Sons <b>\"Tools\"</b> 'n' more");
  CHECK(rendered.text_body == "Account: Smith & Sons <b>\"Tools\"</b> 'n' more");

  auto plain = invites::render_template(plain_template("{{account.name}}", "Dear {{account.name}}\n"), values);
  CHECK(plain.text_body == "Dear Smith & Sons <b>\"Tools\"</b> 'n' more\n");
  CHECK(plain.html_body.empty());
}

TEST_CASE("unescaped tags are refused in HTML and allowed in text") {
  auto error = error_of(html_template("S", "<p>\n{{{contact.first_name}}}</p>"));
  CHECK(error.part() == "body");
  CHECK(error.line() == 2);
  CHECK_THAT(error.what(), Catch::Contains("contact.first_name"));
  CHECK_THROWS_AS(invites::validate_template(html_template("S", "<p>{{&contact.first_name}}</p>")), TemplateError);
  CHECK_NOTHROW(invites::validate_template(plain_template("{{{contact.first_name}}}", "{{&contact.last_name}}")));
}

TEST_CASE("a line break from a value cannot reach past the subject line") {
  MergeValues values = invites::example_merge_values();
  values.account_name = "Evil\r\nBcc: victim@example.com\r\n\t\n";
  values.contact_first_name = "\tAnna\n";
  auto rendered = invites::render_template(plain_template("{{contact.first_name}}: {{account.name}}", "x"), values);
  CHECK(rendered.subject == "Anna : Evil Bcc: victim@example.com");
  // A subject template spread over lines becomes one line too.
  auto multi_line = invites::render_template(plain_template("Hello\r\n  world\t!", "x"), values);
  CHECK(multi_line.subject == "Hello   world !");
}

TEST_CASE("an unknown merge field is named with its part and line") {
  auto error = error_of(html_template("Hi", "<p>Dear {{contact.first_name}},</p>\n\n<p>{{contact.frist_name}}</p>"));
  CHECK(error.part() == "body");
  CHECK(error.line() == 3);
  CHECK_THAT(error.what(), Catch::Contains("unknown merge field \"contact.frist_name\""));

  auto in_subject = error_of(plain_template("Hi {{ first_name }}", "x"));
  CHECK(in_subject.part() == "subject");
  CHECK(in_subject.line() == 1);
  CHECK_THAT(in_subject.what(), Catch::Contains("\"first_name\""));

  auto in_text = error_of(html_template("S", "<p>x</p>", "a\nb\n{{#account.nme}}x{{/account.nme}}"));
  CHECK(in_text.part() == "text_body");
  CHECK(in_text.line() == 3);
  CHECK_THAT(in_text.what(), Catch::Contains("\"account.nme\""));

  // Inside a section and an inverted section the names are checked as well,
  // whatever the values would be.
  CHECK_THAT(error_of(plain_template("S", "{{^contact.first_name}}{{nope}}{{/contact.first_name}}")).what(),
             Catch::Contains("\"nope\""));
  CHECK_THAT(error_of(plain_template("S", "{{.}}")).what(), Catch::Contains("\".\""));
  CHECK_THAT(error_of(plain_template("S", "{{contact}}")).what(), Catch::Contains("\"contact\""));
  CHECK_THAT(error_of(plain_template("S", "{{#contact}}{{first_name}}{{/contact}}")).what(),
             Catch::Contains("\"contact\""));
}

TEST_CASE("partials, delimiter changes and empty tags are refused") {
  auto partial = error_of(plain_template("S", "line\n{{> footer}}"));
  CHECK(partial.line() == 2);
  CHECK_THAT(partial.what(), Catch::Contains("partials"));
  CHECK_THAT(partial.what(), Catch::Contains("footer"));
  CHECK_THAT(error_of(plain_template("S", "{{=<% %>=}}<% contact.email %>")).what(), Catch::Contains("delimiters"));
  CHECK_THAT(error_of(plain_template("S", "a {{ }} b")).what(), Catch::Contains("empty tag"));
  // Comments are fine and render as nothing.
  auto rendered = invites::render_template(plain_template("S", "a{{! a note }}b"), invites::example_merge_values());
  CHECK(rendered.text_body == "ab");
}

TEST_CASE("parse errors name the part and the line") {
  auto unclosed_tag = error_of(html_template("S", "<p>one</p>\n<p>two {{contact.first_name</p>\n"));
  CHECK(unclosed_tag.part() == "body");
  CHECK(unclosed_tag.line() == 2);
  CHECK_THAT(unclosed_tag.what(), Catch::Contains("unclosed tag"));

  auto unclosed_section = error_of(plain_template("S", "a\nb\n{{#contact.first_name}}\nHi\n"));
  CHECK(unclosed_section.line() == 3);
  CHECK_THAT(unclosed_section.what(), Catch::Contains("section \"contact.first_name\" is not closed"));

  auto stray_close = error_of(plain_template("S", "a\n{{/contact.first_name}}"));
  CHECK(stray_close.line() == 2);
  CHECK_THAT(stray_close.what(), Catch::Contains("closes no section"));

  auto crossed = error_of(
      plain_template("S", "{{#contact.first_name}}{{#account.name}}\n{{/contact.first_name}}{{/account.name}}"));
  CHECK(crossed.line() == 2);
  CHECK_THAT(crossed.what(), Catch::Contains("closes section \"account.name\""));

  auto subject = error_of(plain_template("Hi {{#invite.url}}", "x"));
  CHECK(subject.part() == "subject");
  CHECK(subject.line() == 1);
}

TEST_CASE("empty parts and long subjects are refused") {
  CHECK(error_of(plain_template("", "body")).part() == "subject");
  CHECK(error_of(plain_template(" \r\n", "body")).part() == "subject");
  CHECK(error_of(html_template("S", "")).part() == "body");
  CHECK(error_of(plain_template("S", "\n\n")).part() == "body");
  CHECK_NOTHROW(invites::validate_template(plain_template(std::string(255, 's'), "b")));
  auto long_subject = error_of(plain_template(std::string(256, 's'), "b"));
  CHECK(long_subject.part() == "subject");
  CHECK_THAT(long_subject.what(), Catch::Contains("256"));
  CHECK_THAT(long_subject.what(), Catch::Contains("255"));
  // An empty text_body of an HTML template means "derive it", not an error.
  CHECK_NOTHROW(invites::validate_template(html_template("S", "<p>x</p>", "")));
}

TEST_CASE("sections over fields show when the value is not empty, inverted ones when it is") {
  TemplateText text = plain_template(
      "S",
      "{{#contact.first_name}}Hi "
      "{{contact.first_name}},{{/contact.first_name}}{{^contact.first_name}}Hello,{{/contact.first_name}}");
  MergeValues values = invites::example_merge_values();
  CHECK(invites::render_template(text, values).text_body == "Hi Maria,");
  values.contact_first_name.clear();
  CHECK(invites::render_template(text, values).text_body == "Hello,");

  // Standalone section lines leave no blank lines behind (Mustache spec).
  TemplateText lines =
      plain_template("S", "Dear customer\n{{#division.name}}\nDivision {{division.name}}\n{{/division.name}}\nBye\n");
  values.division_name = "North";
  CHECK(invites::render_template(lines, values).text_body == "Dear customer\nDivision North\nBye\n");
  // A hidden section leaves its empty line behind (kainjow only drops the
  // standalone lines of sections it shows).
  values.division_name.clear();
  CHECK(invites::render_template(lines, values).text_body == "Dear customer\n\nBye\n");
  // An empty value renders as nothing.
  CHECK(invites::render_template(plain_template("S", "[{{division.name}}]"), values).text_body == "[]");
}

TEST_CASE("an HTML template without a text body gets one derived from the rendered HTML") {
  MergeValues values = invites::example_merge_values();
  values.account_name = "Smith & Sons";
  auto rendered = invites::render_template(
      html_template(
          "S",
          "<html><head><title>x</title><style>p{color:red}</style></head><body>\n"
          "<h1>Welcome, {{contact.first_name}}</h1>\n"
          "<p>Your account <b>{{account.name}}</b> ({{account.number}}) can now use the portal.</p>\n"
          "<p><a href=\"{{invite.url}}\">Accept the invitation</a><br>It expires on {{invite.expires_on}}.</p>\n"
          "</body></html>"),
      values);
  CHECK(rendered.text_body ==
        "Welcome, Maria\n\n"
        "Your account Smith & Sons (100234) can now use the portal.\n\n"
        "Accept the invitation (https://portal.example.com/invite/accept?token=q3Jx0bUo0bW2Z0kq)\n"
        "It expires on 2026-12-10.");
}

TEST_CASE("an invitation without {{invite.url}} for every recipient is refused, naming the part") {
  const auto missing_in = [](const TemplateText& text) -> std::string {
    try {
      invites::require_invite_link(text);
    } catch (const TemplateError& error) {
      CHECK(error.line() == 0);
      CHECK_THAT(error.what(), Catch::Matchers::Contains("{{invite.url}}"));
      return error.part();
    }
    return "";
  };
  CHECK(missing_in(plain_template("S", "Dear {{contact.first_name}}, welcome.")) == "body");
  CHECK(missing_in(html_template("S", "<p>Welcome</p>")) == "body");
  // The HTML has it, its own text alternative does not.
  CHECK(missing_in(html_template("S", "<a href=\"{{invite.url}}\">Accept</a>", "Please accept.")) == "text_body");
  // Only inside a section over another field: lost for a contact without a first name.
  CHECK(missing_in(plain_template("S", "{{#contact.first_name}}{{invite.url}}{{/contact.first_name}}")) == "body");
  // In a comment it is no link.
  CHECK(missing_in(plain_template("S", "Hello {{! {{invite.url}} }}")) == "body");
  // Accepted: the link in the body, in an HTML link (the derived text keeps the address), or in both parts.
  CHECK(missing_in(plain_template("S", "Accept: {{invite.url}}")).empty());
  CHECK(missing_in(html_template("S", "<a href=\"{{invite.url}}\">Accept</a>")).empty());
  CHECK(missing_in(html_template("S", "<a href=\"{{invite.url}}\">Accept</a>", "Accept: {{invite.url}}")).empty());
  // Other template problems are reported as validate_template does.
  CHECK_THROWS_WITH(invites::require_invite_link(plain_template("S", "{{invite.ur}}")),
                    Catch::Matchers::Contains("unknown merge field"));
}
