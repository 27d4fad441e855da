// The Setup screen's actions (permission 120): templates (list, edit, live
// local preview, save with server errors) and division sender addresses.
#include "fake_server.hpp"

#include <catch2/catch.hpp>

using namespace invites;
using namespace invites::app;
using namespace invites::app::testing;

namespace {

json template_json(Id id, const std::string& name, const std::string& body) {
  return {{"id", id},
          {"type", "portal_invitation"},
          {"name", name},
          {"active", true},
          {"subject", "Your {{division.name}} portal"},
          {"content_type", "text/html"},
          {"body", body},
          {"text_body", "Hello {{contact.first_name}}: {{invite.url}}"},
          {"updated_at", "2026-11-26T10:00:00Z"}};
}

json templates_json() {
  return {{"templates",
           {template_json(11, "Standard invitation",
                          "<p>Hello {{contact.first_name}}: <a href=\"{{invite.url}}\">accept</a></p>")}},
          {"merge_fields",
           {{{"name", "contact.first_name"}, {"description", "the contact's first name"}, {"example", "Maria"}},
            {{"name", "invite.url"}, {"description", "the acceptance link"}, {"example", "https://…"}}}}};
}

json divisions_json() {
  return {{"divisions",
           {{{"id", 1},
             {"name", "North"},
             {"default_from_email", "north@hauler.example"},
             {"billing_default_from_email", "billing@hauler.example"}},
            {{"id", 2}, {"name", "South"}, {"default_from_email", nullptr}, {"billing_default_from_email", nullptr}}}}};
}

struct SetupFixture : SignedInFixture {
  SetupFixture() {
    sign_in();
    actions.sending().show_tab(MainTab::setup);
    actions.setup().open();
    server.respond("GET", "/api/templates", 200, templates_json());
    server.respond("GET", "/api/divisions", 200, divisions_json());
  }
};

}  // namespace

TEST_CASE_METHOD(SetupFixture, "Setup lists templates, merge fields and divisions", "[frontend][setup]") {
  const SetupState& setup = state.setup;
  CHECK(setup.templates_status == LoadStatus::loaded);
  REQUIRE(setup.templates.size() == 1);
  CHECK(setup.templates[0].name == "Standard invitation");
  CHECK(setup.templates[0].content_type == "text/html");
  REQUIRE(setup.merge_fields.size() == 2);
  CHECK(setup.merge_fields[1].name == "invite.url");
  REQUIRE(setup.divisions.size() == 2);
  CHECK(setup.divisions[0].billing_default_from_email == std::optional<std::string>("billing@hauler.example"));
  CHECK_FALSE(setup.divisions[1].default_from_email);
}

TEST_CASE_METHOD(SignedInFixture, "Setup needs permission 120", "[frontend][setup]") {
  sign_in({390});
  CHECK_FALSE(can_use_setup(state));
  actions.setup().open();
  CHECK(server.pending.empty());
}

TEST_CASE_METHOD(SetupFixture, "editing a template: live preview and save with PUT", "[frontend][setup]") {
  actions.setup().edit_template(11);
  const TemplateEditor& editor = state.setup.editor;
  REQUIRE(editor.open);
  CHECK(editor.id == std::optional<Id>(11));
  CHECK(editor.body == "<p>Hello {{contact.first_name}}: <a href=\"{{invite.url}}\">accept</a></p>");
  CHECK_FALSE(editor.dirty);
  CHECK_FALSE(editor.problem);
  CHECK_FALSE(editor.preview_subject.empty());

  actions.setup().set_field(TemplateField::subject, "Welcome, {{contact.first_name}}");
  CHECK(editor.dirty);
  CHECK(editor.preview_subject.find("{{") == std::string::npos);  // rendered with the example values
  actions.setup().set_active(false);

  actions.setup().save_template();
  CHECK(editor.saving);
  const auto request = server.respond("PUT", "/api/templates/11", 200,
                                      json{{"template", template_json(11, "Standard invitation", editor.body)}});
  CHECK(request.csrf_token == "tok-123");
  const json sent = json::parse(request.body);
  CHECK(sent["subject"] == "Welcome, {{contact.first_name}}");
  CHECK(sent["active"] == false);
  CHECK(sent["content_type"] == "text/html");
  CHECK(sent.size() == 6);
  CHECK_FALSE(editor.saving);
  CHECK_FALSE(editor.dirty);
  CHECK(editor.saved_notice == "Saved.");
  // The screen's template list is fetched again (active templates may have changed).
  CHECK(server.has_pending("GET", "/api/lookups"));
}

TEST_CASE_METHOD(SetupFixture, "a template error is shown with part and line as you type", "[frontend][setup]") {
  actions.setup().edit_template(11);
  actions.setup().set_field(TemplateField::body, "<p>Hello</p>\n<p>Dear\n{{contact.frist_name}}</p>");
  const TemplateEditor& editor = state.setup.editor;
  REQUIRE(editor.problem);
  CHECK(editor.problem->part == "body");
  CHECK(editor.problem->line == 3);
  CHECK(editor.problem->message.find("contact.frist_name") != std::string::npos);
  // Without the invitation link: the server would refuse it, so the editor says so now.
  actions.setup().set_field(TemplateField::body, "<p>Hello {{contact.first_name}}</p>");
  REQUIRE(editor.problem);
  CHECK(editor.problem->part == "body");
  CHECK(editor.problem->message.find("{{invite.url}}") != std::string::npos);
  actions.setup().set_field(TemplateField::body,
                            "<p>Hello {{contact.first_name}}: <a href=\"{{invite.url}}\">accept</a></p>");
  CHECK_FALSE(editor.problem);
}

TEST_CASE_METHOD(SetupFixture, "save errors: template_invalid with field and line, other errors", "[frontend][setup]") {
  actions.setup().new_template();
  const TemplateEditor& editor = state.setup.editor;
  REQUIRE(editor.open);
  CHECK_FALSE(editor.id);
  actions.setup().set_field(TemplateField::name, "Spring campaign");

  actions.setup().save_template();
  server.respond("POST", "/api/templates", 400,
                 json{{"error",
                       {{"code", "template_invalid"},
                        {"message", "body line 3: unknown merge field \"contact.frist_name\""},
                        {"field", "body"},
                        {"line", 3}}}});
  CHECK(editor.save_error == "body line 3: unknown merge field \"contact.frist_name\"");
  REQUIRE(editor.save_problem);
  CHECK(editor.save_problem->part == "body");
  CHECK(editor.save_problem->line == 3);

  actions.setup().save_template();
  server.respond("POST", "/api/templates", 403, error_json("forbidden", "Permission 120 is required."));
  CHECK(editor.save_error == "Permission 120 is required.");
  CHECK_FALSE(editor.save_problem);

  actions.setup().save_template();
  server.respond("POST", "/api/templates", 201, json{{"template", template_json(12, "Spring campaign", "x")}});
  CHECK(editor.id == std::optional<Id>(12));
  CHECK(state.setup.templates.size() == 2);

  SECTION("an empty name is not sent") {
    actions.setup().set_field(TemplateField::name, "");
    actions.setup().save_template();
    CHECK(editor.save_error == "Enter a name.");
    CHECK_FALSE(server.has_pending("PUT", "/api/templates/12"));
  }
}

TEST_CASE_METHOD(SetupFixture, "a late save answer of a closed editor is dropped", "[frontend][setup]") {
  actions.setup().edit_template(11);
  actions.setup().save_template();
  actions.setup().close_editor();
  server.respond("PUT", "/api/templates/11", 400, error_json("template_invalid", "late"));
  CHECK_FALSE(state.setup.editor.open);
  CHECK(state.setup.editor.save_error.empty());
}

TEST_CASE_METHOD(SetupFixture, "division sender addresses: validation and save", "[frontend][setup]") {
  actions.setup().edit_division(1);
  const DivisionEdit& edit = state.setup.division;
  CHECK(edit.id == 1);
  CHECK(edit.text == "north@hauler.example");

  actions.setup().set_division_email("not-an-address");
  CHECK(division_email_problem(edit) == invalid_email_message);
  actions.setup().save_division();
  CHECK(edit.error == invalid_email_message);
  CHECK(server.pending.empty());

  actions.setup().set_division_email("Sales@Hauler.example");
  CHECK(division_email_problem(edit).empty());
  actions.setup().save_division();
  const auto request = server.respond("PUT", "/api/divisions/1", 200,
                                      json{{"division",
                                            {{"id", 1},
                                             {"name", "North"},
                                             {"default_from_email", "sales@hauler.example"},
                                             {"billing_default_from_email", "billing@hauler.example"}}}});
  CHECK(json::parse(request.body) == json{{"default_from_email", "sales@hauler.example"}});
  CHECK(request.csrf_token == "tok-123");
  CHECK(state.setup.divisions[0].default_from_email == std::optional<std::string>("sales@hauler.example"));
  CHECK(edit.id == 0);
  CHECK(edit.saved_notice == "Saved the sender address of North.");
  CHECK(server.has_pending("GET", "/api/lookups"));

  SECTION("an empty field clears the division's own address (null)") {
    actions.setup().edit_division(2);
    actions.setup().save_division();
    const auto clear =
        server.respond("PUT", "/api/divisions/2", 400,
                       json{{"error", {{"code", "invalid"}, {"message", "bad"}, {"field", "default_from_email"}}}});
    CHECK(json::parse(clear.body) == json{{"default_from_email", nullptr}});
    CHECK(edit.error == "bad");
    CHECK(edit.id == 2);
  }
}
