#include "mail/message.hpp"

#include <sodium.h>

#include <array>

#include "invites/email.hpp"
#include "mail/mime_encoding.hpp"
#include "security/passwords.hpp"
#include "security/tokens.hpp"

namespace invites::mail {
namespace {

// Any of these would end a header line early (or truncate it in C code).
void reject_line_breaks(std::string_view field, std::string_view value) {
  if (value.find_first_of("\r\n") != std::string_view::npos)
    throw MessageError(std::string(field) + " contains a line break");
  if (value.find('\0') != std::string_view::npos) throw MessageError(std::string(field) + " contains a NUL byte");
}

std::string checked_address(std::string_view field, const std::string& address) {
  reject_line_breaks(field, address);
  std::string normalized = normalize_email(address);
  if (!is_valid_email(normalized))
    throw MessageError(std::string(field) + " \"" + address + "\" is not a valid address");
  return normalized;
}

// "From: Name <a@b.c>", folded before the address when the line would be long.
std::string address_header(std::string_view header, std::string_view name, const std::string& address) {
  std::string line = std::string(header) + ": ";
  if (name.empty()) return line + address + "\r\n";
  std::string phrase = display_name_phrase(name);
  line += phrase;
  std::size_t last_line = line.rfind("\r\n");
  std::size_t last_line_length = line.size() - (last_line == std::string::npos ? 0 : last_line + 2);
  line += last_line_length + address.size() + 3 > 78 ? "\r\n <" : " <";
  return line + address + ">\r\n";
}

std::string rfc5322_date(std::time_t date) {
  static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  gmtime_r(&date, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[static_cast<std::size_t>(utc.tm_wday)],
                utc.tm_mday, months[static_cast<std::size_t>(utc.tm_mon)], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return text;
}

void check_message_id(const std::string& message_id) {
  reject_line_breaks("message_id", message_id);
  bool shaped = message_id.size() >= 5 && message_id.front() == '<' && message_id.back() == '>' &&
                message_id.find('@') != std::string::npos && message_id.size() <= 250;
  for (char c : message_id)
    if (c <= ' ' || c > '~') shaped = false;
  if (!shaped) throw MessageError("message_id \"" + message_id + "\" is not of the form <unique@domain>");
}

std::string text_part_headers(std::string_view subtype) {
  return "Content-Type: text/" + std::string(subtype) +
         "; charset=UTF-8\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n";
}

// "=_" cannot occur in quoted-printable text, so the boundary never does.
std::string random_boundary() {
  std::array<unsigned char, 16> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  return "=_invites_" + security::to_hex(bytes);
}

}  // namespace

std::string build_message(const OutgoingMessage& message, std::time_t date, const std::string& message_id) {
  std::string from = checked_address("from", message.from);
  std::string to = checked_address("to", message.to);
  reject_line_breaks("from_name", message.from_name);
  reject_line_breaks("to_name", message.to_name);
  reject_line_breaks("subject", message.subject);
  check_message_id(message_id);
  security::initialize();

  std::string out;
  out += "Date: " + rfc5322_date(date) + "\r\n";
  out += address_header("From", message.from_name, from);
  out += address_header("To", message.to_name, to);
  out += unstructured_header("Subject", message.subject);
  out += "Message-ID: " + message_id + "\r\n";
  // RFC 3834: mail an automatic process sent; vacation responders and other
  // auto-replies do not answer it (fewer replies to the bounce address).
  out += "Auto-Submitted: auto-generated\r\n";
  out += "MIME-Version: 1.0\r\n";
  if (message.html_body.empty()) {
    out += text_part_headers("plain");
    out += "\r\n";
    out += quoted_printable(message.text_body);
  } else {
    std::string boundary = random_boundary();
    out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
    out += "\r\n";
    out += "This is a multi-part message in MIME format.\r\n";
    out +=
        "--" + boundary + "\r\n" + text_part_headers("plain") + "\r\n" + quoted_printable(message.text_body) + "\r\n";
    out += "--" + boundary + "\r\n" + text_part_headers("html") + "\r\n" + quoted_printable(message.html_body) + "\r\n";
    out += "--" + boundary + "--";
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}

std::string new_message_id(const std::string& from_address) {
  security::initialize();
  std::array<unsigned char, 16> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  std::string from = normalize_email(from_address);
  std::size_t at = from.find('@');
  std::string domain = is_valid_email(from) ? from.substr(at + 1) : "invites.localhost";
  return "<" + security::to_hex(bytes) + "@" + domain + ">";
}

}  // namespace invites::mail
