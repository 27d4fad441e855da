#include "invites/html_text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

namespace invites {
namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

bool starts_with_ci(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - std::min(at, text.size()) < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (ascii_lower(text[at + i]) != prefix[i]) return false;
  return true;
}

void append_utf8(std::uint32_t code, std::string& out) {
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// The entity starting at text[at] == '&': its decoded text and length, or
// nullopt when it is not one we know (the '&' then stays literal).
std::optional<std::pair<std::string, std::size_t>> decode_entity(std::string_view text, std::size_t at) {
  std::size_t semicolon = text.find(';', at);
  if (semicolon == std::string_view::npos || semicolon - at > 10) return std::nullopt;
  std::string_view name = text.substr(at + 1, semicolon - at - 1);
  std::size_t length = semicolon - at + 1;
  static constexpr std::pair<std::string_view, std::string_view> named[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "},
  };
  for (auto [entity, value] : named)
    if (name == entity) return std::pair{std::string(value), length};
  if (name.size() < 2 || name[0] != '#') return std::nullopt;
  bool hex = name[1] == 'x' || name[1] == 'X';
  std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 7) return std::nullopt;
  std::uint32_t code = 0;
  for (char c : digits) {
    int digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (hex && ascii_lower(c) >= 'a' && ascii_lower(c) <= 'f')
      digit = ascii_lower(c) - 'a' + 10;
    else
      return std::nullopt;
    code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
  }
  std::string decoded;
  append_utf8(code, decoded);
  return std::pair{decoded, length};
}

std::string decode_entities(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '&') {
      if (auto entity = decode_entity(text, i)) {
        out += entity->first;
        i += entity->second;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

struct Tag {
  std::string name;  // lower case, without '/'
  bool closing = false;
  std::string href;     // decoded, for <a>
  std::size_t end = 0;  // index just after '>'
};

// Parses the tag at html[at] == '<'; nullopt when it is not a tag (a lone '<').
std::optional<Tag> parse_tag(std::string_view html, std::size_t at) {
  Tag tag;
  std::size_t i = at + 1;
  if (i < html.size() && html[i] == '/') {
    tag.closing = true;
    ++i;
  }
  while (i < html.size() && (std::isalnum(static_cast<unsigned char>(html[i])) != 0))
    tag.name.push_back(ascii_lower(html[i++]));
  if (tag.name.empty() && !(i < html.size() && (html[i] == '!' || html[i] == '?'))) return std::nullopt;
  // Attributes: name[=value], values quoted or not; a '>' inside quotes does not end the tag.
  while (i < html.size() && html[i] != '>') {
    if (is_html_space(html[i]) || html[i] == '/') {
      ++i;
      continue;
    }
    std::string attribute;
    while (i < html.size() && !is_html_space(html[i]) && html[i] != '=' && html[i] != '>')
      attribute.push_back(ascii_lower(html[i++]));
    if (attribute.empty()) {  // stray character (e.g. '!' of a doctype)
      ++i;
      continue;
    }
    if (i >= html.size() || html[i] != '=') continue;
    ++i;
    std::string value;
    if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
      char quote = html[i++];
      std::size_t close = html.find(quote, i);
      if (close == std::string_view::npos) close = html.size();
      value = std::string(html.substr(i, close - i));
      i = std::min(close + 1, html.size());
    } else {
      while (i < html.size() && !is_html_space(html[i]) && html[i] != '>') value.push_back(html[i++]);
    }
    if (attribute == "href") tag.href = decode_entities(value);
  }
  tag.end = std::min(i + 1, html.size());
  return tag;
}

// Collects text with browser-like whitespace collapsing and line breaks.
class TextWriter {
 public:
  void text(std::string_view piece) {
    for (char c : piece) {
      if (is_html_space(c)) {
        pending_space_ = true;
      } else {
        flush();
        out_.push_back(c);
      }
    }
  }
  // Text that is not collapsed (list markers).
  void literal(std::string_view piece) {
    flush();
    out_ += piece;
  }
  // Ends the current line; `lines` == 2 leaves an empty line after it.
  void line_break(int lines) {
    pending_lines_ = std::max(pending_lines_, lines);
    pending_space_ = false;
  }
  std::size_t position() const { return out_.size(); }
  const std::string& written() const { return out_; }
  std::string finish() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\n')) out_.pop_back();
    return std::move(out_);
  }

 private:
  void flush() {
    if (pending_lines_ > 0) {
      while (!out_.empty() && out_.back() == ' ') out_.pop_back();
      if (!out_.empty()) {
        int already = 0;  // newlines already at the end
        for (auto it = out_.rbegin(); it != out_.rend() && *it == '\n'; ++it) ++already;
        for (int i = already; i < pending_lines_; ++i) out_.push_back('\n');
      }
    } else if (pending_space_ && !out_.empty() && out_.back() != '\n' && out_.back() != ' ') {
      out_.push_back(' ');
    }
    pending_lines_ = 0;
    pending_space_ = false;
  }

  std::string out_;
  bool pending_space_ = false;
  int pending_lines_ = 0;
};

int line_break_for(std::string_view tag) {
  static constexpr std::string_view paragraph_like[] = {"p",  "h1",      "h2",      "h3",     "h4",         "h5",
                                                        "h6", "ul",      "ol",      "table",  "blockquote", "pre",
                                                        "hr", "section", "article", "header", "footer"};
  static constexpr std::string_view line_like[] = {"br", "div", "li", "tr", "dt", "dd", "address"};
  for (auto name : paragraph_like)
    if (tag == name) return 2;
  for (auto name : line_like)
    if (tag == name) return 1;
  return 0;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  TextWriter writer;
  std::optional<std::pair<std::string, std::size_t>> open_link;  // href, where its text starts
  for (std::size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '&') {
      if (auto entity = decode_entity(html, i)) {
        writer.text(entity->first);
        i += entity->second;
      } else {
        writer.text("&");
        ++i;
      }
      continue;
    }
    if (c != '<') {
      writer.text(std::string_view(&html[i], 1));
      ++i;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    auto tag = parse_tag(html, i);
    if (!tag) {
      writer.text("<");
      ++i;
      continue;
    }
    i = tag->end;
    if (!tag->closing &&
        (tag->name == "script" || tag->name == "style" || tag->name == "head" || tag->name == "title")) {
      // Their content is not text for the reader: skip to the closing tag.
      std::size_t close = i;
      while (close < html.size() && !starts_with_ci(html, close, "</" + tag->name)) ++close;
      i = close < html.size() ? html.find('>', close) : html.size();
      i = i == std::string_view::npos ? html.size() : i + 1;
      continue;
    }
    if (tag->name == "a") {
      if (!tag->closing && !tag->href.empty()) {
        open_link = std::pair{tag->href, writer.position()};
      } else if (tag->closing && open_link) {
        std::string label = writer.written().substr(std::min(open_link->second, writer.written().size()));
        std::string_view href = open_link->first;
        std::string_view plain_href = href.starts_with("mailto:") ? href.substr(7) : href;
        while (!label.empty() && (label.front() == ' ' || label.front() == '\n')) label.erase(0, 1);
        if (label.empty())
          writer.literal(plain_href);
        else if (label != plain_href && !href.starts_with("#"))
          writer.literal(" (" + std::string(href) + ")");
        open_link.reset();
      }
      continue;
    }
    int lines = line_break_for(tag->name);
    if (lines > 0) writer.line_break(tag->name == "li" && tag->closing ? 1 : lines);
    if (tag->name == "li" && !tag->closing) writer.literal("- ");
    if ((tag->name == "td" || tag->name == "th") && !tag->closing) writer.text(" ");  // cells side by side
  }
  return writer.finish();
}

}  // namespace invites
