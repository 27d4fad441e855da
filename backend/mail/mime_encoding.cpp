#include "mail/mime_encoding.hpp"

#include <vector>

#include "security/tokens.hpp"

namespace invites::mail {
namespace {

constexpr std::size_t max_qp_line = 76;
constexpr std::size_t max_header_line = 78;
// "=?UTF-8?B?" + 52 base64 characters + "?=" = 64, so "Subject: " and a word fit in 78.
constexpr std::size_t encoded_word_bytes = 39;
constexpr std::size_t longest_plain_word = 70;

bool is_printable_ascii(char c) { return c >= 0x21 && c <= 0x7E; }

void append_hex_escape(unsigned char byte, std::string& out) {
  static constexpr char hex[] = "0123456789ABCDEF";
  out.push_back('=');
  out.push_back(hex[byte >> 4]);
  out.push_back(hex[byte & 0x0F]);
}

void append_qp_line(std::string_view line, std::string& out) {
  std::string current;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    bool last = i + 1 == line.size();
    std::string token;
    if ((is_printable_ascii(c) && c != '=') || ((c == ' ' || c == '\t') && !last)) {
      token.push_back(c);
    } else {
      append_hex_escape(static_cast<unsigned char>(c), token);
    }
    // The last token may fill the line; any other must leave room for the soft break's '='.
    std::size_t limit = last ? max_qp_line : max_qp_line - 1;
    if (current.size() + token.size() > limit) {
      out += current;
      out += "=\r\n";
      current.clear();
    }
    current += token;
  }
  out += current;
}

// The length of the UTF-8 character starting with `lead` (1 for stray bytes).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

bool needs_quoting(std::string_view name) {
  // Anything but atext and spaces (RFC 5322 §3.2.3).
  for (char c : name)
    if (std::string_view("()<>[]:;@\\,.\"").find(c) != std::string_view::npos) return true;
  return name.front() == ' ' || name.back() == ' ' || name.find("  ") != std::string_view::npos;
}

}  // namespace

std::string quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find_first_of("\r\n", start);
    append_qp_line(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), out);
    if (end == std::string_view::npos) break;
    out += "\r\n";
    start = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  return out;
}

bool is_plain_header_text(std::string_view text) {
  if (text.find("=?") != std::string_view::npos) return false;
  std::size_t word = 0;
  for (char c : text) {
    if (c == ' ') {
      word = 0;
    } else if (!is_printable_ascii(c) || ++word > longest_plain_word) {
      return false;
    }
  }
  return true;
}

std::string encoded_words(std::string_view utf8) {
  std::string out;
  while (!utf8.empty()) {
    std::size_t take = 0;
    while (take < utf8.size()) {
      std::size_t next = std::min(utf8.size(), take + utf8_length(static_cast<unsigned char>(utf8[take])));
      if (next > encoded_word_bytes && take > 0) break;
      take = next;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + security::to_base64(utf8.substr(0, take)) + "?=";
    utf8.remove_prefix(take);
  }
  return out;
}

std::string unstructured_header(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ": ";
  if (!is_plain_header_text(value)) return out + encoded_words(value) + "\r\n";
  // Fold before a space (the space stays, so unfolding gives the text back).
  std::size_t line_start = 0;
  std::size_t first_fold = out.size();  // never fold a line into nothing
  std::size_t last_space = std::string::npos;
  for (char c : value) {
    if (c == ' ' && out.size() > first_fold) last_space = out.size();
    out.push_back(c);
    if (out.size() - line_start > max_header_line && last_space != std::string::npos) {
      out.insert(last_space, "\r\n");
      line_start = last_space + 2;
      first_fold = line_start;
      last_space = std::string::npos;
    }
  }
  return out + "\r\n";
}

std::string display_name_phrase(std::string_view name) {
  if (name.empty()) return "";
  if (!is_plain_header_text(name)) return encoded_words(name);
  if (!needs_quoting(name)) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

std::string printable_utf8(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : utf8_length(lead);
    bool valid = lead < 0x80 || (lead >= 0xC2 && lead <= 0xF4 && i + length <= text.size());
    for (std::size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (valid && length > 2) {  // no overlong forms, surrogates or code points past U+10FFFF
      const auto second = static_cast<unsigned char>(text[i + 1]);
      valid = !(lead == 0xE0 && second < 0xA0) && !(lead == 0xED && second >= 0xA0) &&
              !(lead == 0xF0 && second < 0x90) && !(lead == 0xF4 && second >= 0x90);
    }
    if (!valid) length = 1;
    const std::size_t added = valid ? length : 1;
    if (out.size() + added > max_bytes) break;
    if (!valid)
      out.push_back('?');
    else if (lead < 0x20 || lead == 0x7F)
      out.push_back(' ');
    else
      out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace invites::mail
