#pragma once
// Named actions of the Setup screen (permission 120): notification templates
// (list, edit with a live local preview, save) and division sender addresses.
// Reached through Actions::setup().

#include "app/send_actions.hpp"  // ApiCaller
#include "app/state.hpp"

#include <functional>
#include <string>

namespace invites::app {

// The text fields of the template editor.
enum class TemplateField { name, subject, content_type, body, text_body };

class SetupActions {
 public:
  // `lists_changed` runs after a save that changes what GET /api/lookups returns.
  SetupActions(State& state, ApiCaller api, std::function<void()> lists_changed);
  SetupActions(const SetupActions&) = delete;
  SetupActions& operator=(const SetupActions&) = delete;

  void open();  // the Setup tab was opened: loads templates and divisions

  // --- templates ---
  void load_templates();      // GET /api/templates
  void new_template();        // an empty editor (saved with POST)
  void edit_template(Id id);  // a copy of the listed template (saved with PUT)
  void close_editor();
  void set_field(TemplateField field, std::string value);  // re-renders the live preview
  void set_active(bool active);
  void save_template();  // POST /api/templates or PUT /api/templates/{id}

  // --- division sender addresses ---
  void load_divisions();  // GET /api/divisions
  void edit_division(Id id);
  void set_division_email(std::string text);
  void save_division();  // PUT /api/divisions/{id} ("" → null: no own address)
  void cancel_division_edit();

  void reset();

 private:
  void on_template_saved(const TemplateRecord& saved);

  State& state_;
  ApiCaller api_;
  std::function<void()> lists_changed_;
  std::uint64_t editor_generation_ = 0;  // bumps per opened editor: a late save answer of another is dropped
};

// Renders the editor's template locally with the documented example values
// (common/ render_template + example_merge_values): fills the preview or the
// problem (part, line, message).
void render_editor_preview(TemplateEditor& editor);

}  // namespace invites::app
