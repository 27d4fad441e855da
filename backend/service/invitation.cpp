#include "service/invitation.hpp"

#include "invites/utc_time.hpp"

namespace invites::service {
namespace {

// Names come from billing data typed by people: control characters (a
// pasted line break) become spaces rather than failing the recipient.
std::string display_name(const std::string& first, const std::string& last) {
  std::string name = first.empty() || last.empty() ? first + last : first + " " + last;
  for (auto& c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return name;
}

}  // namespace

std::string invite_url(const std::string& base_url, const std::string& token_text) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/portal/accept?token=" + token_text;
}

std::string invite_expiry_date(std::time_t now, int days) {
  return utc_date(static_cast<std::int64_t>(now) + static_cast<std::int64_t>(days) * 24 * 3600);
}

MergeValues merge_values(const repository::RecipientDetails& recipient, const std::string& from_email,
                         const std::string& url, const std::string& expires_on) {
  MergeValues values;
  values.contact_first_name = recipient.first_name;
  values.contact_last_name = recipient.last_name;
  values.contact_email = recipient.email;
  values.account_number = recipient.account_number;
  values.account_name = recipient.account_name;
  values.division_name = recipient.division_name;
  values.invite_url = url;
  values.invite_expires_on = expires_on;
  values.sender_email = from_email;
  return values;
}

std::string build_invitation(CompiledTemplate& compiled, const MergeValues& values, const std::string& from_email,
                             const std::string& to, std::time_t now, const std::string& message_id) {
  const auto rendered = compiled.render(values);
  mail::OutgoingMessage message;
  message.from = from_email;
  message.to = to;
  message.to_name = display_name(values.contact_first_name, values.contact_last_name);
  message.subject = rendered.subject;
  message.text_body = rendered.text_body;
  message.html_body = rendered.html_body;
  return mail::build_message(message, now, message_id.empty() ? mail::new_message_id(from_email) : message_id);
}

}  // namespace invites::service
