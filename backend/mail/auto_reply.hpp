#pragma once
// Auto-replies and out-of-office notices (RFC 3834 and common practice):
// they come back to the envelope sender like bounces but say nothing about
// the address, so they are recognised and left alone.
#include <optional>
#include <string>

#include "mail/mime_tree.hpp"

namespace invites::mail {

// Why `message` (its top-level headers) is an automatic reply, e.g.
// "Auto-Submitted: auto-replied"; nullopt when nothing marks it as one.
std::optional<std::string> auto_reply_reason(const MimeNode& message);

}  // namespace invites::mail
