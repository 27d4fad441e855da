#pragma once
// Invitation templates (docs/design.md §6): Mustache (kainjow), rendered here so the
// browser previews exactly what the server sends. HTML bodies escape merge
// values; the subject and plain-text bodies do not (they are not HTML), and
// the subject has every CR/LF/TAB run collapsed to one space so no input can
// add a header line.
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace invites {

enum class ContentType { html, plain };  // "text/html", "text/plain"

std::string_view content_type_name(ContentType type);
std::optional<ContentType> parse_content_type(std::string_view name);

// A template as stored (table notification_templates).
struct TemplateText {
  std::string subject;
  ContentType content_type = ContentType::html;
  std::string body;       // HTML or plain text, per content_type
  std::string text_body;  // the plain-text alternative of an HTML body ("" = derived from the HTML)
};

// One documented merge field, e.g. {"contact.first_name", "the contact's first name", "Maria"}.
struct MergeField {
  std::string_view name;
  std::string_view description;
  std::string_view example;
};
// Every field a template may use, in documentation order.
std::span<const MergeField> merge_fields();

// The values for one recipient. Names and account data come from the
// representative contact (docs/design.md §2.4).
struct MergeValues {
  std::string contact_first_name;
  std::string contact_last_name;
  std::string contact_email;  // the normalized recipient address
  std::string account_number;
  std::string account_name;
  std::string division_name;
  std::string invite_url;         // the acceptance link with the token
  std::string invite_expires_on;  // e.g. "2026-12-10"
  std::string sender_email;       // the From address
};
// The documented examples, for previews without a recipient.
MergeValues example_merge_values();

// A template that cannot be used: which part ("subject", "body",
// "text_body"), the 1-based line in it, and a message that names the problem
// (e.g. `unknown merge field "contact.frist_name"`).
class TemplateError : public std::runtime_error {
 public:
  TemplateError(std::string part, int line, const std::string& message);
  // A problem of the part as a whole (line 0).
  TemplateError(std::string part, const std::string& message);
  const std::string& part() const { return part_; }
  int line() const { return line_; }

 private:
  std::string part_;
  int line_;
};

// Throws TemplateError for a parse error, an unknown merge field, a section
// over a field that is not a section, an empty subject or body, or a
// subject longer than 255 bytes.
//
// What is allowed: {{field}} for every merge field (and {{{field}}} /
// {{&field}} outside HTML bodies: HTML values are always escaped), comments
// {{! ... }}, and sections over fields: {{#field}}...{{/field}} shows its
// content when the value is not empty, {{^field}}...{{/field}} when it is.
// Names are checked inside every section whatever the values. Partials
// {{>name}} and delimiter changes {{=<% %>=}} are refused, as are names
// that are not merge fields ("contact", ".").
void validate_template(const TemplateText& text);

// An invitation must carry its link: the rendered body (and the text
// alternative of an HTML body) must show {{invite.url}}, also for a
// recipient whose other fields are empty (a link inside {{#contact.first_name}}
// would be lost). Without it the message is useless and the recipient's
// earlier links are revoked by the send. Throws TemplateError naming the
// part; also for the problems validate_template finds.
void require_invite_link(const TemplateText& text);

struct RenderedMessage {
  std::string subject;    // one line
  std::string text_body;  // always present
  std::string html_body;  // empty for a plain-text template
};
// Renders all parts. Throws TemplateError as validate_template does.
RenderedMessage render_template(const TemplateText& text, const MergeValues& values);

// A template validated and parsed once, for rendering many messages (a send
// job): parsing costs more than rendering. Not for concurrent use: give each
// thread its own.
class CompiledTemplate {
 public:
  // Throws TemplateError as validate_template does.
  explicit CompiledTemplate(const TemplateText& text);
  ~CompiledTemplate();
  CompiledTemplate(CompiledTemplate&&) noexcept;
  CompiledTemplate& operator=(CompiledTemplate&&) noexcept;

  RenderedMessage render(const MergeValues& values);

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace invites
