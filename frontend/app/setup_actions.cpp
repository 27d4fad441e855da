#include "app/setup_actions.hpp"

#include "app/api_json.hpp"

#include <invites/email.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <utility>

namespace invites::app {

namespace {

using api::json;
using api::member_array;
using api::member_object;
using api::request;

// A `Record` with the id of the record `o` the server sent, or nullopt when
// `o` is no object or its id is not a positive 32-bit number.
template <typename Record>
std::optional<Record> with_record_id(const json& o) {
  if (!o.is_object()) return std::nullopt;
  const std::uint64_t id = api::u64(o, "id");
  if (id == 0 || id > 0xffffffffu) return std::nullopt;
  Record record;
  record.id = static_cast<Id>(id);
  return record;
}

std::optional<TemplateRecord> parse_template(const json& o) {
  auto t = with_record_id<TemplateRecord>(o);
  if (!t) return t;
  t->type = api::str(o, "type");
  t->name = api::str(o, "name");
  t->active = api::boolean(o, "active", true);
  t->subject = api::str(o, "subject");
  t->content_type = api::str(o, "content_type");
  if (t->content_type.empty()) t->content_type = "text/html";
  t->body = api::str(o, "body");
  t->text_body = api::str(o, "text_body");
  t->updated_at = api::str(o, "updated_at");
  return t;
}

std::optional<DivisionRecord> parse_division(const json& o) {
  auto d = with_record_id<DivisionRecord>(o);
  if (!d) return d;
  d->name = api::str(o, "name");
  d->default_from_email = api::nullable_str(o, "default_from_email");
  d->billing_default_from_email = api::nullable_str(o, "billing_default_from_email");
  return d;
}

// One of Setup's lists, read with GET /api/<name>: where its status and its
// error are kept, and its name (the answer's array, and the list in messages).
struct SetupList {
  LoadStatus SetupState::*status;
  std::string SetupState::*error;
  std::string name;
};
// Takes the answer (and the list's array in it) into SetupState.
using SetupListReader = std::function<void(SetupState&, const json& answer, const json& items)>;

void load_setup_list(State& state, const ApiCaller& call_api, const SetupList& list, SetupListReader read) {
  SetupState& setup = state.setup;
  if (setup.*list.status == LoadStatus::loading) return;
  setup.*list.status = LoadStatus::loading;
  (setup.*list.error).clear();
  call_api(request("GET", "/api/" + list.name), [&state, list, read = std::move(read)](FetchResult&& result) {
    SetupState& s = state.setup;
    const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
    const json* items = doc ? member_array(*doc, list.name.c_str()) : nullptr;
    if (!items) {
      s.*list.status = LoadStatus::failed;
      s.*list.error = result.ok() ? "The server sent " + list.name + " the app does not understand."
                                  : api::failure_message(result, "The " + list.name + " could not be loaded.");
      return;
    }
    read(s, *doc, *items);
    s.*list.status = LoadStatus::loaded;
  });
}

}  // namespace

bool can_use_setup(const State& state) { return state.session && state.session->has(permission_setup); }

std::string division_email_problem(const DivisionEdit& edit) {
  if (edit.text.empty()) return {};
  if (edit.text.find_first_of("\r\n") != std::string::npos || !is_valid_email(normalize_email(edit.text)))
    return invalid_email_message;
  return {};
}

SetupActions::SetupActions(State& state, ApiCaller api, std::function<void()> lists_changed)
    : state_(state), api_(std::move(api)), lists_changed_(std::move(lists_changed)) {}

void SetupActions::reset() {
  state_.setup = SetupState{};
  ++editor_generation_;
}

void SetupActions::open() {
  if (!can_use_setup(state_)) return;
  if (state_.setup.templates_status != LoadStatus::loaded) load_templates();
  if (state_.setup.divisions_status != LoadStatus::loaded) load_divisions();
}

// --- templates -------------------------------------------------------------------------

void SetupActions::load_templates() {
  load_setup_list(
      state_, api_, {&SetupState::templates_status, &SetupState::templates_error, "templates"},
      [](SetupState& s, const json& doc, const json& templates) {
        s.templates.clear();
        for (const json& t : templates)
          if (std::optional<TemplateRecord> record = parse_template(t)) s.templates.push_back(std::move(*record));
        s.merge_fields.clear();
        if (const json* fields = member_array(doc, "merge_fields"))
          for (const json& f : *fields)
            if (f.is_object())
              s.merge_fields.push_back({api::str(f, "name"), api::str(f, "description"), api::str(f, "example")});
      });
}

void SetupActions::new_template() {
  TemplateEditor editor;
  editor.open = true;
  editor.name = "New invitation";
  editor.subject = "Your {{division.name}} customer portal";
  editor.body =
      "<p>Hello {{contact.first_name}},</p>\n<p><a href=\"{{invite.url}}\">Set up your account</a> "
      "before {{invite.expires_on}}.</p>\n";
  editor.text_body = "Hello {{contact.first_name}},\n\nSet up your account: {{invite.url}}\n";
  render_editor_preview(editor);
  state_.setup.editor = std::move(editor);
  ++editor_generation_;
}

void SetupActions::edit_template(Id id) {
  const auto& templates = state_.setup.templates;
  const auto it =
      std::find_if(templates.begin(), templates.end(), [id](const TemplateRecord& t) { return t.id == id; });
  if (it == templates.end()) return;
  TemplateEditor editor;
  editor.open = true;
  editor.id = it->id;
  editor.name = it->name;
  editor.active = it->active;
  editor.subject = it->subject;
  editor.content_type = it->content_type;
  editor.body = it->body;
  editor.text_body = it->text_body;
  render_editor_preview(editor);
  state_.setup.editor = std::move(editor);
  ++editor_generation_;
}

void SetupActions::close_editor() {
  state_.setup.editor = TemplateEditor{};
  ++editor_generation_;
}

void SetupActions::set_field(TemplateField field, std::string value) {
  TemplateEditor& editor = state_.setup.editor;
  if (!editor.open) return;
  // By TemplateField.
  static constexpr std::array<std::string TemplateEditor::*, 5> fields{
      &TemplateEditor::name, &TemplateEditor::subject, &TemplateEditor::content_type, &TemplateEditor::body,
      &TemplateEditor::text_body};
  std::string* target = &(editor.*fields[static_cast<std::size_t>(field)]);
  if (*target == value) return;
  *target = std::move(value);
  editor.dirty = true;
  editor.saved_notice.clear();
  render_editor_preview(editor);
}

void SetupActions::set_active(bool active) {
  TemplateEditor& editor = state_.setup.editor;
  if (!editor.open || editor.active == active) return;
  editor.active = active;
  editor.dirty = true;
  editor.saved_notice.clear();
}

void SetupActions::save_template() {
  TemplateEditor& editor = state_.setup.editor;
  if (!editor.open || editor.saving) return;
  editor.save_error.clear();
  editor.save_problem.reset();
  editor.saved_notice.clear();
  if (editor.name.empty()) {
    editor.save_error = "Enter a name.";
    return;
  }
  editor.saving = true;
  const json body = {{"name", editor.name},       {"active", editor.active},
                     {"subject", editor.subject}, {"content_type", editor.content_type},
                     {"body", editor.body},       {"text_body", editor.text_body}};
  const bool create = !editor.id;
  const std::string url = create ? "/api/templates" : "/api/templates/" + std::to_string(*editor.id);
  const std::uint64_t generation = editor_generation_;
  api_(request(create ? "POST" : "PUT", url, body.dump()), [this, generation](FetchResult&& result) {
    TemplateEditor& e = state_.setup.editor;
    if (!e.open || generation != editor_generation_) return;
    e.saving = false;
    const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
    const json* saved = doc ? member_object(*doc, "template") : nullptr;
    std::optional<TemplateRecord> record = saved ? parse_template(*saved) : std::nullopt;
    if (record) {
      on_template_saved(*record);
      return;
    }
    if (result.ok()) {
      e.save_error = "The server sent an answer the app does not understand.";
      return;
    }
    const api::Error error = api::error_of(result);
    e.save_error = api::failure_message(result, "The template could not be saved.");
    if (result.status == 400 && error.code == "template_invalid")
      e.save_problem = TemplateProblem{error.field, error.line, error.message};
  });
}

void SetupActions::on_template_saved(const TemplateRecord& saved) {
  SetupState& setup = state_.setup;
  const auto it = std::find_if(setup.templates.begin(), setup.templates.end(),
                               [&](const TemplateRecord& t) { return t.id == saved.id; });
  if (it == setup.templates.end())
    setup.templates.push_back(saved);
  else
    *it = saved;
  TemplateEditor& editor = setup.editor;
  editor.id = saved.id;
  editor.dirty = false;
  editor.saved_notice = "Saved.";
  if (lists_changed_) lists_changed_();  // the screen's template list (active invitation templates)
}

// --- divisions -------------------------------------------------------------------------

void SetupActions::load_divisions() {
  load_setup_list(state_, api_, {&SetupState::divisions_status, &SetupState::divisions_error, "divisions"},
                  [](SetupState& s, const json&, const json& divisions) {
                    s.divisions.clear();
                    for (const json& d : divisions)
                      if (std::optional<DivisionRecord> record = parse_division(d))
                        s.divisions.push_back(std::move(*record));
                  });
}

void SetupActions::edit_division(Id id) {
  const auto& divisions = state_.setup.divisions;
  const auto it =
      std::find_if(divisions.begin(), divisions.end(), [id](const DivisionRecord& d) { return d.id == id; });
  if (it == divisions.end()) return;
  DivisionEdit edit;
  edit.id = id;
  // The division's own address: the effective one unless it is the billing default.
  if (it->default_from_email && it->default_from_email != it->billing_default_from_email)
    edit.text = *it->default_from_email;
  state_.setup.division = std::move(edit);
}

void SetupActions::set_division_email(std::string text) {
  DivisionEdit& edit = state_.setup.division;
  if (edit.id == 0) return;
  edit.text = std::move(text);
  edit.error.clear();
  edit.saved_notice.clear();
}

void SetupActions::cancel_division_edit() {
  if (!state_.setup.division.saving) state_.setup.division = DivisionEdit{};
}

void SetupActions::save_division() {
  DivisionEdit& edit = state_.setup.division;
  if (edit.id == 0 || edit.saving) return;
  edit.error = division_email_problem(edit);
  if (!edit.error.empty()) return;
  edit.saving = true;
  const Id id = edit.id;
  const json body = {{"default_from_email", edit.text.empty() ? json(nullptr) : json(normalize_email(edit.text))}};
  api_(request("PUT", "/api/divisions/" + std::to_string(id), body.dump()), [this, id](FetchResult&& result) {
    DivisionEdit& e = state_.setup.division;
    if (e.id != id) return;
    e.saving = false;
    const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
    const json* saved = doc ? member_object(*doc, "division") : nullptr;
    std::optional<DivisionRecord> record = saved ? parse_division(*saved) : std::nullopt;
    if (!record) {
      e.error = result.ok() ? "The server sent an answer the app does not understand."
                            : api::failure_message(result, "The address could not be saved.");
      return;
    }
    for (DivisionRecord& d : state_.setup.divisions)
      if (d.id == record->id) d = *record;
    state_.setup.division = DivisionEdit{};
    state_.setup.division.saved_notice = "Saved the sender address of " + record->name + ".";
    if (lists_changed_) lists_changed_();  // Email From prefill uses the division addresses
  });
}

}  // namespace invites::app
