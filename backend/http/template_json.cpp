#include "http/template_json.hpp"

namespace invites::http {

nlohmann::json template_to_json(const repository::StoredTemplate& stored) {
  return {{"id", stored.id},
          {"type", stored.type},
          {"name", stored.name},
          {"active", stored.active},
          {"subject", stored.text.subject},
          {"content_type", content_type_name(stored.text.content_type)},
          {"body", stored.text.body},
          {"text_body", stored.text.text_body},
          {"updated_at", stored.updated_at}};
}

}  // namespace invites::http
