#pragma once
// The machine-readable parts of delivery reports (RFC 3464 §2,
// message/delivery-status) and feedback reports (RFC 5965 §3.1,
// message/feedback-report): groups of header-style "Name: value" fields,
// groups separated by blank lines, long values folded onto indented lines.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace invites::mail {

// A report that cannot be read; the message says what is wrong with it.
class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ReportField {
  std::string name;   // lower case
  std::string value;  // unfolded, blanks trimmed
};

class FieldGroup {
 public:
  explicit FieldGroup(std::vector<ReportField> fields) : fields_(std::move(fields)) {}
  // The first value of a field (name in lower case), or "" when absent.
  std::string value(std::string_view name) const;
  // Every value of a field, in order.
  std::vector<std::string> values(std::string_view name) const;
  bool has(std::string_view name) const;

 private:
  std::vector<ReportField> fields_;
};

// Throws ReportError for a line that is neither a field, a continuation nor
// blank (naming its number), and for text without any field.
std::vector<FieldGroup> parse_field_groups(std::string_view text);

// "rfc822; user@example.com" (an address-type, ';', the address, possibly in
// angle brackets or followed by a comment) -> "user@example.com"; the whole
// value when there is no ';'.
std::string typed_address(std::string_view value);

}  // namespace invites::mail
