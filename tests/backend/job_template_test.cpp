// The copy of its template a job keeps (send_jobs.template_json) is written
// and read by repository/templates alone and reads back as the sender needs
// it; the API's form of a template is built in http/template_json.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http/template_json.hpp"
#include "repository/templates.hpp"

using invites::ContentType;
using invites::repository::StoredTemplate;

namespace {

StoredTemplate spring_template() {
  StoredTemplate stored;
  stored.id = 12;
  stored.name = "Spring campaign";
  stored.active = false;
  stored.updated_at = "2026-11-26T10:00:00Z";
  stored.text.subject = "Your portal, {{account_name}}";
  stored.text.content_type = ContentType::plain;
  stored.text.body = "Hello {{first_name}},\n{{invite_link}}\n";
  stored.text.text_body = "";
  return stored;
}

}  // namespace

TEST_CASE("a job's copy of its template reads back with what the sender uses") {
  const StoredTemplate stored = spring_template();
  const StoredTemplate read =
      invites::repository::job_template_from_json(invites::repository::job_template_json(stored));
  CHECK(read.id == stored.id);
  CHECK(read.name == stored.name);
  CHECK(read.text.subject == stored.text.subject);
  CHECK(read.text.content_type == ContentType::plain);
  CHECK(read.text.body == stored.text.body);
  CHECK(read.text.text_body == stored.text.text_body);
}

TEST_CASE("a job's copy of its template keeps every field of the template as it was") {
  // Jobs written before keep being read: the stored form does not change with the API's.
  CHECK(nlohmann::json::parse(invites::repository::job_template_json(spring_template())) ==
        nlohmann::json{{"id", 12},
                       {"type", "portal_invitation"},
                       {"name", "Spring campaign"},
                       {"active", false},
                       {"subject", "Your portal, {{account_name}}"},
                       {"content_type", "text/plain"},
                       {"body", "Hello {{first_name}},\n{{invite_link}}\n"},
                       {"text_body", ""},
                       {"updated_at", "2026-11-26T10:00:00Z"}});
}

TEST_CASE("the API shows a template with its id, type, state, text and last change") {
  const auto shown = invites::http::template_to_json(spring_template());
  CHECK(shown.at("id") == 12);
  CHECK(shown.at("type") == "portal_invitation");
  CHECK(shown.at("active") == false);
  CHECK(shown.at("content_type") == "text/plain");
  CHECK(shown.at("updated_at") == "2026-11-26T10:00:00Z");
}

TEST_CASE("a job's copy of its template that is not JSON, or lacks a field, is an error") {
  CHECK_THROWS_AS(invites::repository::job_template_from_json("not json"), nlohmann::json::exception);
  auto copy = nlohmann::json::parse(invites::repository::job_template_json(spring_template()));
  copy.erase("subject");
  CHECK_THROWS_AS(invites::repository::job_template_from_json(copy.dump()), nlohmann::json::exception);
}
