#pragma once
// One invitation message: the merge values of a recipient, the template
// rendered by common/ (the same code the browser previews with), and the
// RFC 5322 message built from it. Used by the job runner, the render
// endpoint and test sends.
#include <cstdint>
#include <ctime>
#include <string>

#include "invites/template.hpp"
#include "mail/message.hpp"
#include "repository/contacts.hpp"

namespace invites::service {

// "https://portal.example.com/portal/accept?token=..." (base_url without a trailing slash).
std::string invite_url(const std::string& base_url, const std::string& token_text);
// The expiry date shown in the message ("2026-12-10"), `days` after `now`.
std::string invite_expiry_date(std::time_t now, int days);

MergeValues merge_values(const repository::RecipientDetails& recipient, const std::string& from_email,
                         const std::string& url, const std::string& expires_on);

// The rendered template as a message to `to`, with `message_id` (a fresh
// one from the From domain when empty). Throws TemplateError or mail::MessageError.
std::string build_invitation(CompiledTemplate& compiled, const MergeValues& values, const std::string& from_email,
                             const std::string& to, std::time_t now, const std::string& message_id = {});

}  // namespace invites::service
