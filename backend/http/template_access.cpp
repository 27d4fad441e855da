#include "http/template_access.hpp"

#include "http/api_error.hpp"

namespace invites::http {

void throw_template_invalid(const TemplateError& error) {
  // what() reads "body line 3: unknown merge field ...".
  throw ApiError(400, "template_invalid", error.what(), error.part());
}

repository::StoredTemplate usable_template(sql::Connection& connection, std::uint32_t template_id,
                                           const std::string& field) {
  auto stored = repository::find_template(connection, template_id);
  if (!stored) throw ApiError(400, "invalid", field + ": no template with id " + std::to_string(template_id), field);
  if (!stored->active) {
    throw ApiError(400, "invalid", field + ": the template \"" + stored->name + "\" is inactive", field);
  }
  if (stored->type != repository::invitation_template_type) {
    throw ApiError(400, "invalid", field + ": \"" + stored->name + "\" is not an invitation template", field);
  }
  try {
    validate_template(stored->text);
  } catch (const TemplateError& error) {
    throw_template_invalid(error);
  }
  return *stored;
}

repository::StoredTemplate sendable_template(sql::Connection& connection, std::uint32_t template_id,
                                             const std::string& field) {
  auto stored = usable_template(connection, template_id, field);
  try {
    require_invite_link(stored.text);
  } catch (const TemplateError& error) {
    throw_template_invalid(error);
  }
  return stored;
}

}  // namespace invites::http
