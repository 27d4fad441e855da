#pragma once
// RFC 5322 / MIME messages for invitations (docs/design.md §6): From, To, Subject
// (RFC 2047 encoded-words when not plain ASCII), Date, Message-ID,
// Auto-Submitted, MIME-Version, and multipart/alternative (text + HTML) when there is an HTML
// body; bodies are UTF-8, quoted-printable, CRLF line ends.
#include <ctime>
#include <stdexcept>
#include <string>

namespace invites::mail {

struct OutgoingMessage {
  std::string from;       // a valid address (docs/design.md §2.3 rules)
  std::string from_name;  // optional display name ("" = none)
  std::string to;         // a valid address
  std::string to_name;    // optional display name
  std::string subject;    // UTF-8
  std::string text_body;  // UTF-8, any line ends
  std::string html_body;  // "" = text/plain only
};

// A field that would corrupt the message: an address that is not valid, or
// a CR, LF or NUL in an address, a name or the subject. Names the field.
class MessageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The whole message, headers and body, with CRLF line ends and no line over
// 998 octets. message_id is "<unique@domain>". Throws MessageError.
std::string build_message(const OutgoingMessage& message, std::time_t date, const std::string& message_id);

// "<random-hex@domain-of-from>" from libsodium's random bytes.
std::string new_message_id(const std::string& from_address);

}  // namespace invites::mail
