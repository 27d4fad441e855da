#pragma once
// A notification template as the API returns it (docs/design.md §5): GET /api/templates, the answer to a save.
#include <nlohmann/json.hpp>

#include "repository/templates.hpp"

namespace invites::http {

nlohmann::json template_to_json(const repository::StoredTemplate& stored);

}  // namespace invites::http
