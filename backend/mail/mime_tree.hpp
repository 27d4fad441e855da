#pragma once
// Incoming mail (bounces, complaint reports, auto-replies) parsed with GMime:
// headers unfolded and decoded, multipart bodies split, transfer encodings
// undone, message/rfc822 parts opened. The parsers of delivery reports see
// only this read-only tree, never GMime itself.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace invites::mail {

// A node of a parsed message: a whole message, a multipart, or a leaf part.
// Views borrow from the ParsedMessage they came from.
class MimeNode {
 public:
  // The first header of this name (case-insensitive), unfolded, RFC 2047
  // words decoded, surrounding blanks trimmed.
  std::optional<std::string> header(std::string_view name) const;
  // Every header of this name, in order.
  std::vector<std::string> headers(std::string_view name) const;
  // "type/subtype", lower case ("text/plain" when the part declares none).
  std::string content_type() const;
  // A Content-Type parameter ("report-type", "boundary", ...), or nullopt.
  std::optional<std::string> content_type_parameter(std::string_view name) const;
  // Parts of a multipart; the enclosed message of a message/rfc822 part;
  // the body of a message. Empty for a leaf.
  std::vector<MimeNode> children() const;
  // A leaf's content with its transfer encoding undone (bytes, no charset conversion).
  std::string body() const;

 private:
  friend class ParsedMessage;
  explicit MimeNode(void* object) : object_(object) {}
  void* object_;  // GMimeObject*, owned by the ParsedMessage
};

class ParsedMessage {
 public:
  // Parses RFC 5322 text (CRLF or LF line ends). Never throws for malformed
  // MIME: GMime repairs what it can, and what it cannot is simply absent.
  explicit ParsedMessage(std::string_view raw);
  ~ParsedMessage();
  ParsedMessage(const ParsedMessage&) = delete;
  ParsedMessage& operator=(const ParsedMessage&) = delete;

  // The message itself: its headers, and its body as the only child.
  MimeNode message() const { return MimeNode(message_); }
  // The body (the message's MIME part).
  MimeNode body() const;

 private:
  void* message_;  // GMimeMessage*
};

}  // namespace invites::mail
