#pragma once
// State of the Setup screen (permission 120): notification templates and the
// division sender addresses. Included by app/state.hpp (after LoadStatus and
// Id are declared); not on its own.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace invites::app {

// A template as GET /api/templates lists it.
struct TemplateRecord {
  Id id = 0;
  std::string type;  // e.g. "portal_invitation"
  std::string name;
  bool active = true;
  std::string subject;
  std::string content_type = "text/html";  // "text/html" | "text/plain"
  std::string body;
  std::string text_body;
  std::string updated_at;
};

struct MergeFieldInfo {
  std::string name, description, example;
};

// Where a template problem is: part ("subject", "body", "text_body") and line (1-based, 0 unknown).
struct TemplateProblem {
  std::string part;
  int line = 0;
  std::string message;
};

// The template being edited (a copy of a record, or a new one).
struct TemplateEditor {
  bool open = false;
  std::optional<Id> id;  // nullopt: a new template (POST)
  std::string name;
  bool active = true;
  std::string subject;
  std::string content_type = "text/html";
  std::string body;
  std::string text_body;
  bool dirty = false;  // changed since opened or saved
  // The live preview, rendered locally (common/ render_template + example_merge_values).
  std::optional<TemplateProblem> problem;
  std::string preview_subject, preview_text, preview_html;
  // Save.
  bool saving = false;
  std::string save_error;                       // the server's message
  std::optional<TemplateProblem> save_problem;  // a 400 template_invalid with part and line
  std::string saved_notice;                     // "Saved." after a successful save
};

struct DivisionRecord {
  Id id = 0;
  std::string name;
  std::optional<std::string> default_from_email;          // effective
  std::optional<std::string> billing_default_from_email;  // from the billing system
};

// One division's sender address being edited.
struct DivisionEdit {
  Id id = 0;         // 0: none open
  std::string text;  // "" = no own address (PUT null)
  bool saving = false;
  std::string error;
  std::string saved_notice;
};

struct SetupState {
  LoadStatus templates_status = LoadStatus::idle;
  std::string templates_error;
  std::vector<TemplateRecord> templates;
  std::vector<MergeFieldInfo> merge_fields;
  TemplateEditor editor;

  LoadStatus divisions_status = LoadStatus::idle;
  std::string divisions_error;
  std::vector<DivisionRecord> divisions;
  DivisionEdit division;
};

struct State;
bool can_use_setup(const State& state);  // signed in with permission 120
// "" when the typed sender address is empty (no own address) or valid; else invalid_email_message.
std::string division_email_problem(const DivisionEdit& edit);

}  // namespace invites::app
