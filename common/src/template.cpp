#include "invites/template.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include "invites/html_text.hpp"

namespace invites {
namespace {

namespace mustache = kainjow::mustache;

constexpr std::size_t max_subject_bytes = 255;

struct FieldDefinition {
  MergeField field;
  std::string MergeValues::*value;
};

constexpr std::array<FieldDefinition, 9> field_definitions{{
    {{"contact.first_name", "The contact's first name", "Maria"}, &MergeValues::contact_first_name},
    {{"contact.last_name", "The contact's last name", "Lopez"}, &MergeValues::contact_last_name},
    {{"contact.email", "The recipient's address (normalized)", "maria.lopez@example.com"}, &MergeValues::contact_email},
    {{"account.number", "The billing account number", "100234"}, &MergeValues::account_number},
    {{"account.name", "The billing account name", "Lopez Hardware Ltd"}, &MergeValues::account_name},
    {{"division.name", "The account's division", "North"}, &MergeValues::division_name},
    {{"invite.url", "The personal link that accepts the invitation",
      "https://portal.example.com/invite/accept?token=q3Jx0bUo0bW2Z0kq"},
     &MergeValues::invite_url},
    {{"invite.expires_on", "The last day the link works (YYYY-MM-DD)", "2026-12-10"}, &MergeValues::invite_expires_on},
    {{"sender.email", "The address the invitation comes from", "portal@example.com"}, &MergeValues::sender_email},
}};

constexpr std::array<MergeField, field_definitions.size()> field_list = [] {
  std::array<MergeField, field_definitions.size()> list{};
  for (std::size_t i = 0; i < field_definitions.size(); ++i) list[i] = field_definitions[i].field;
  return list;
}();

bool is_merge_field(std::string_view name) {
  return std::any_of(field_definitions.begin(), field_definitions.end(),
                     [name](const FieldDefinition& definition) { return definition.field.name == name; });
}

int line_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::string_view trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

// Checks every tag of one part with the default delimiters, the way
// kainjow tokenizes them, so each problem gets its own line number. We scan
// ourselves because kainjow keeps its parse tree private and a render only
// looks up the names of sections that happen to be shown.
void check_tags(const std::string& part, std::string_view text, bool html) {
  struct OpenSection {
    std::string name;
    std::size_t position;
  };
  std::vector<OpenSection> open;
  auto fail = [&](std::size_t position, const std::string& message) {
    throw TemplateError(part, line_at(text, position), message);
  };
  for (std::size_t position = text.find("{{"); position != std::string_view::npos;
       position = text.find("{{", position)) {
    bool triple = text.compare(position, 3, "{{{") == 0;
    std::size_t content_start = position + (triple ? 3 : 2);
    std::size_t close = text.find(triple ? "}}}" : "}}", content_start);
    if (close == std::string_view::npos) fail(position, "unclosed tag: \"{{\" without \"}}\"");
    std::string_view content = trim(text.substr(content_start, close - content_start));
    std::size_t next = close + (triple ? 3 : 2);
    char kind = triple ? '&' : (content.empty() ? 0 : content.front());
    if (!triple && std::string_view("#^/>&!=").find(kind) != std::string_view::npos && kind != 0) {
      content = trim(content.substr(1));
    } else if (!triple) {
      kind = 0;
    }
    switch (kind) {
      case '!':
        break;  // a comment
      case '=':
        fail(position, "changing the delimiters ({{=...=}}) is not supported");
        break;
      case '>':
        fail(position, "partials ({{>" + std::string(content) + "}}) are not supported");
        break;
      default: {
        if (content.empty()) fail(position, "empty tag");
        if (!is_merge_field(content)) fail(position, "unknown merge field " + quoted(content));
        if (kind == '&' && html)
          fail(position, "unescaped merge field " + quoted(content) + " in HTML: use {{" + std::string(content) + "}}");
        if (kind == '#' || kind == '^') {
          open.push_back({std::string(content), position});
        } else if (kind == '/') {
          if (open.empty()) fail(position, "{{/" + std::string(content) + "}} closes no section");
          if (open.back().name != content)
            fail(position, "{{/" + std::string(content) + "}} closes section " + quoted(open.back().name));
          open.pop_back();
        }
      }
    }
    position = next;
  }
  if (!open.empty()) fail(open.back().position, "section " + quoted(open.back().name) + " is not closed");
}

// kainjow's own verdict, as a backstop to check_tags; its messages end in
// " at OFFSET", which becomes the line.
mustache::mustache parse(const std::string& part, const std::string& text) {
  mustache::mustache parsed(text);
  if (!parsed.is_valid()) {
    std::string message = parsed.error_message();
    std::size_t at = message.rfind(" at ");
    std::size_t offset = at == std::string::npos ? 0 : std::strtoul(message.c_str() + at + 4, nullptr, 10);
    if (at != std::string::npos) message.resize(at);
    throw TemplateError(part, line_at(text, offset), message);
  }
  return parsed;
}

void check_part(const std::string& part, const std::string& text, bool html) {
  if (trim(text).empty()) throw TemplateError(part, 1, "the " + part + " is empty");
  check_tags(part, text, html);
  parse(part, text);
}

// Nested objects ("contact" -> "first_name") so dotted names resolve. An
// empty value is `false`: it renders as nothing and {{#field}} sections
// over it are hidden ({{^field}} shown), which kainjow would not do for "".
mustache::data merge_data(const MergeValues& values) {
  mustache::data root{mustache::data::type::object};
  for (const auto& definition : field_definitions) {
    std::string_view name = definition.field.name;
    std::size_t dot = name.find('.');
    std::string group(name.substr(0, dot));
    std::string key(name.substr(dot + 1));
    const std::string& value = values.*definition.value;
    mustache::data group_data = root.get(group) ? *root.get(group) : mustache::data{mustache::data::type::object};
    group_data.set(key, value.empty() ? mustache::data{false} : mustache::data{value});
    root.set(group, group_data);
  }
  return root;
}

// A parsed part; plain-text parts do not escape.
mustache::mustache parse_for_render(const std::string& part, const std::string& text, bool html) {
  mustache::mustache parsed = parse(part, text);
  if (!html) parsed.set_custom_escape([](const std::string& value) { return value; });
  return parsed;
}

std::string render_part(const std::string& part, mustache::mustache& parsed, const mustache::data& data) {
  std::string rendered = parsed.render(data);
  if (!parsed.is_valid()) throw TemplateError(part, 1, parsed.error_message());
  return rendered;
}

// Every run of control characters (CR, LF, TAB, ...) becomes one space, so
// no value can start a header line; then the ends are trimmed.
std::string single_line(std::string_view text) {
  std::string line;
  bool in_run = false;
  for (char c : text) {
    bool control = static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
    if (control) {
      if (!in_run) line.push_back(' ');
      in_run = true;
    } else {
      line.push_back(c);
      in_run = false;
    }
  }
  return std::string(trim(line));
}

}  // namespace

std::string_view content_type_name(ContentType type) { return type == ContentType::html ? "text/html" : "text/plain"; }

std::optional<ContentType> parse_content_type(std::string_view name) {
  if (name == "text/html") return ContentType::html;
  if (name == "text/plain") return ContentType::plain;
  return std::nullopt;
}

std::span<const MergeField> merge_fields() { return field_list; }

MergeValues example_merge_values() {
  MergeValues values;
  for (const auto& definition : field_definitions) values.*definition.value = std::string(definition.field.example);
  return values;
}

TemplateError::TemplateError(std::string part, int line, const std::string& message)
    : std::runtime_error(part + " line " + std::to_string(line) + ": " + message),
      part_(std::move(part)),
      line_(line) {}

TemplateError::TemplateError(std::string part, const std::string& message)
    : std::runtime_error(part + ": " + message), part_(std::move(part)), line_(0) {}

void validate_template(const TemplateText& text) {
  check_part("subject", text.subject, false);
  if (text.subject.size() > max_subject_bytes)
    throw TemplateError("subject", 1,
                        "the subject is " + std::to_string(text.subject.size()) + " bytes long; at most " +
                            std::to_string(max_subject_bytes) + " are allowed");
  bool html = text.content_type == ContentType::html;
  check_part("body", text.body, html);
  if (html && !text.text_body.empty()) check_part("text_body", text.text_body, false);
}

RenderedMessage render_template(const TemplateText& text, const MergeValues& values) {
  return CompiledTemplate(text).render(values);
}

void require_invite_link(const TemplateText& text) {
  const MergeValues examples = example_merge_values();
  MergeValues only_link;
  only_link.invite_url = examples.invite_url;
  const bool html = text.content_type == ContentType::html;
  const std::string missing =
      "has no {{invite.url}} for every recipient: without the link the invitation cannot be "
      "accepted (and the recipient's earlier links are revoked when it is sent)";
  for (const MergeValues* values : std::initializer_list<const MergeValues*>{&examples, &only_link}) {
    const RenderedMessage message = render_template(text, *values);
    if (html && message.html_body.find(values->invite_url) == std::string::npos) throw TemplateError("body", missing);
    if (message.text_body.find(values->invite_url) == std::string::npos) {
      throw TemplateError(html && !text.text_body.empty() ? "text_body" : "body", missing);
    }
  }
}

struct CompiledTemplate::Parts {
  bool html;
  mustache::mustache subject, body;
  std::optional<mustache::mustache> text_body;  // an HTML template's own text alternative
};

CompiledTemplate::CompiledTemplate(const TemplateText& text) {
  validate_template(text);
  const bool html = text.content_type == ContentType::html;
  parts_ = std::make_unique<Parts>(Parts{html, parse_for_render("subject", text.subject, false),
                                         parse_for_render("body", text.body, html), std::nullopt});
  if (html && !text.text_body.empty()) parts_->text_body = parse_for_render("text_body", text.text_body, false);
}

CompiledTemplate::~CompiledTemplate() = default;
CompiledTemplate::CompiledTemplate(CompiledTemplate&&) noexcept = default;
CompiledTemplate& CompiledTemplate::operator=(CompiledTemplate&&) noexcept = default;

RenderedMessage CompiledTemplate::render(const MergeValues& values) {
  const mustache::data data = merge_data(values);
  RenderedMessage message;
  message.subject = single_line(render_part("subject", parts_->subject, data));
  if (parts_->html) {
    message.html_body = render_part("body", parts_->body, data);
    message.text_body =
        parts_->text_body ? render_part("text_body", *parts_->text_body, data) : html_to_text(message.html_body);
  } else {
    message.text_body = render_part("body", parts_->body, data);
  }
  return message;
}

}  // namespace invites
