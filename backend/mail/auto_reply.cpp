#include "mail/auto_reply.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace invites::mail {
namespace {

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Subjects that vacation responders and Exchange/Outlook, Gmail and others
// put first (lower case; the non-English ones as UTF-8 after RFC 2047 decoding).
constexpr std::array<std::string_view, 16> auto_reply_subjects{
    "auto:",       "automatic reply",      "autoreply",           "auto-reply",
    "auto reply",  "out of office",        "out of the office",   "away from",
    "on vacation", "vacation reply",       "abwesenheitsnotiz",   "réponse automatique",
    "absence",     "respuesta automática", "risposta automatica", "automatisch antwoord",
};

}  // namespace

std::optional<std::string> auto_reply_reason(const MimeNode& message) {
  // RFC 3834: anything but "no" marks automatic mail.
  if (auto value = message.header("Auto-Submitted"); value && lowered(*value) != "no")
    return "Auto-Submitted: " + *value;
  for (const char* name : {"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Response-Suppress"})
    if (auto value = message.header(name); value && lowered(*value) != "no") return std::string(name) + ": " + *value;
  if (auto value = message.header("Precedence")) {
    const std::string precedence = lowered(*value);
    if (precedence == "auto_reply" || precedence == "bulk" || precedence == "junk" || precedence == "list")
      return "Precedence: " + *value;
  }
  if (auto subject = message.header("Subject")) {
    const std::string lower = lowered(*subject);
    for (std::string_view start : auto_reply_subjects)
      if (lower.starts_with(start)) return "Subject: " + *subject;
  }
  return std::nullopt;
}

}  // namespace invites::mail
