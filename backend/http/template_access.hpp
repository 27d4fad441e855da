#pragma once
// The template a send, render or test send names: it must exist, be an
// active invitation template and render (400 naming `field` otherwise).
#include <cstdint>
#include <string>

#include <cppconn/connection.h>

#include "repository/templates.hpp"

namespace invites::http {

repository::StoredTemplate usable_template(sql::Connection& connection, std::uint32_t template_id,
                                           const std::string& field);
// For a send: as usable_template, and the template must carry the
// invitation link (require_invite_link), else 400 "template_invalid".
repository::StoredTemplate sendable_template(sql::Connection& connection, std::uint32_t template_id,
                                             const std::string& field);
// A template that does not validate: 400 "template_invalid" with the part
// as the field and its line.
[[noreturn]] void throw_template_invalid(const TemplateError& error);

}  // namespace invites::http
