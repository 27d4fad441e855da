#include "panels/setup_panel.hpp"

#include "app/offline.hpp"
#include "panels/a11y.hpp"
#include "panels/text_field.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace invites::panels {
namespace {

constexpr float setup_label_width = 120.0f;
Id focused_division = 0;  // the division whose address field got the keyboard focus when it opened

std::string problem_text(const app::TemplateProblem& problem) {
  // The common/ and server messages usually name the place already ("body line 3: …").
  if (!problem.part.empty() && problem.message.rfind(problem.part, 0) == 0) return problem.message;
  std::string where = problem.part == "text_body" ? "text body" : problem.part;
  if (problem.line > 0) where += ", line " + std::to_string(problem.line);
  return where.empty() ? problem.message : where + ": " + problem.message;
}

// The part the live preview or the last save blames.
bool part_has_problem(const app::TemplateEditor& editor, const char* part) {
  return (editor.problem && editor.problem->part == part) || (editor.save_problem && editor.save_problem->part == part);
}

// A row label of the template form; red when the live preview or the last save blames its part.
void row_label(const char* label, bool bad, float label_width) {
  if (label_width <= 0) {
    if (bad) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(tone_color(Tone::bad)));
    field_label(label);
    if (bad) ImGui::PopStyleColor();
    return;
  }
  ImGui::AlignTextToFramePadding();
  if (bad) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(tone_color(Tone::bad)));
  form_label(label, label_width);
  if (bad) ImGui::PopStyleColor();
}

void templates_list(const app::SetupState& setup, app::Actions& actions, const ImVec2& size) {
  begin_card("##template-list", size, CardHeight::given, "Templates");
  card_heading("Templates");
  if (setup.templates_status == app::LoadStatus::loading && setup.templates.empty()) muted_text("Loading\u2026");
  if (setup.templates_status == app::LoadStatus::failed) {
    announced_text(Tone::bad, setup.templates_error, "templates-failed");
    if (button("Try again##templates")) actions.setup().load_templates();
  }
  for (const app::TemplateRecord& t : setup.templates) {
    ImGui::PushID(static_cast<int>(t.id));
    const bool selected = setup.editor.open && setup.editor.id == t.id;
    std::string label = t.name.empty() ? "(no name)" : t.name;
    if (!t.active) label += "  (inactive)";
    if (selectable(label.c_str(), selected)) actions.setup().edit_template(t.id);
    ImGui::PopID();
  }
  ImGui::Spacing();
  if (button("New template", ImVec2(-1, 0))) actions.setup().new_template();
  end_card();
}

void editor_form(const app::TemplateEditor& editor, app::Actions& actions, const ImVec2& size) {
  const char* title = editor.id ? "Edit template" : "New template";
  begin_card("##template-editor", size, CardHeight::given, title, semantics::Role::form);
  ImGui::AlignTextToFramePadding();
  heading(title);
  if (editor.dirty) {
    ImGui::SameLine();
    muted_text("(unsaved changes)");
  }
  ImGui::Separator();
  ImGui::Spacing();
  // Save first: always in view, however long the bodies are.
  if (primary_button(editor.saving ? "Saving\u2026###tpl-save" : "Save###tpl-save", 130, !editor.saving))
    actions.setup().save_template();
  ImGui::SameLine();
  if (button("Close##tpl", ImVec2(0, ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.y * 0.8f)))
    actions.setup().close_editor();
  if (!editor.saved_notice.empty()) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    announced_text(Tone::good, editor.saved_notice, "template-saved");
  }
  semantics::Key problem_key = 0;  // the text that says what is wrong, for the field it blames
  if (!editor.save_error.empty()) {
    announced_text(Tone::bad,
                   "Not saved: " + (editor.save_problem ? problem_text(*editor.save_problem) : editor.save_error),
                   "template-save-error");
    problem_key = a11y::last_text();
  }
  if (editor.problem) {
    status_dot(Tone::bad);
    announced_text(Tone::bad, "Template error: " + problem_text(*editor.problem), "template-problem");
    problem_key = a11y::last_text();
  }
  ImGui::Spacing();
  const FormRows rows = form_rows(10000.0f, setup_label_width);
  const float field_w = rows.field_width;
  std::string edited;
  // A field whose part the preview or the save blames is invalid, described by the problem.
  const auto blame = [&](const char* part) {
    if (part_has_problem(editor, part)) a11y::mark_invalid(a11y::last_field(), problem_key);
  };

  row_label("Name", false, rows.label_width);
  if (text_field("##tpl-name", editor.name, edited, field_w))
    actions.setup().set_field(app::TemplateField::name, edited);

  row_label("Active", false, rows.label_width);
  bool active = editor.active;
  if (checkbox("Offered on the invite screen##tpl-active", &active)) actions.setup().set_active(active);

  row_label("Content type", false, rows.label_width);
  ImGui::SetNextItemWidth(200);
  if (begin_combo("##tpl-content-type", editor.content_type.c_str())) {
    for (const char* type : {"text/html", "text/plain"})
      if (selectable(type, editor.content_type == type, 0, semantics::Role::option))
        actions.setup().set_field(app::TemplateField::content_type, type);
    end_combo();
  }

  row_label("Subject", part_has_problem(editor, "subject"), rows.label_width);
  if (text_field("##tpl-subject", editor.subject, edited, field_w))
    actions.setup().set_field(app::TemplateField::subject, edited);
  blame("subject");

  const bool html = editor.content_type == "text/html";
  const float line = ImGui::GetTextLineHeight();
  row_label(html ? "HTML body" : "Body", part_has_problem(editor, "body"), rows.label_width);
  ImGui::BeginGroup();
  if (text_area("##tpl-body", editor.body, edited, ImVec2(field_w, line * 10)))
    actions.setup().set_field(app::TemplateField::body, edited);
  blame("body");
  ImGui::EndGroup();
  if (html) {
    row_label("Text body", part_has_problem(editor, "text_body"), rows.label_width);
    ImGui::BeginGroup();
    if (text_area("##tpl-text-body", editor.text_body, edited, ImVec2(field_w, line * 5)))
      actions.setup().set_field(app::TemplateField::text_body, edited);
    blame("text_body");
    wrapped_muted_text("Plain-text part of the email; empty: derived from the HTML.");
    ImGui::EndGroup();
  }
  end_card();
}

void side_column(const app::SetupState& setup, app::Actions& actions, const ImVec2& size) {
  const app::TemplateEditor& editor = setup.editor;
  begin_card("##template-side", size, CardHeight::given, "Merge fields and live preview");
  const float height = ImGui::GetContentRegionAvail().y;

  heading("Merge fields", nullptr, 3);
  ImGui::SameLine();
  muted_text("(click to copy)");
  ImGui::Separator();
  const float fields_h = std::min(ImGui::GetTextLineHeightWithSpacing() * 2.2f *
                                      static_cast<float>(std::max<std::size_t>(setup.merge_fields.size(), 1)),
                                  height * 0.42f);
  ImGui::BeginChild("##merge-fields", ImVec2(0, fields_h));
  for (const app::MergeFieldInfo& field : setup.merge_fields) {
    const std::string tag = "{{" + field.name + "}}";
    if (selectable(tag.c_str(), false)) ImGui::SetClipboardText(tag.c_str());
    ImGui::Indent(12);
    wrapped_muted_text(field.description + " \u2014 e.g. " + field.example);
    ImGui::Unindent(12);
  }
  ImGui::EndChild();

  ImGui::Spacing();
  heading("Live preview (example values)", nullptr, 3);
  ImGui::Separator();
  if (editor.problem) {
    tone_text(Tone::bad, problem_text(*editor.problem));
  } else {
    muted_text("Subject");
    wrapped_text(editor.preview_subject);
    if (!editor.preview_html.empty()) {
      ImGui::Spacing();
      if (small_button("Open HTML preview in a new tab")) actions.sending().open_html_document(editor.preview_html);
    }
    ImGui::Spacing();
    field_label("Text");
    text_view("##tpl-preview-text", editor.preview_text, ImVec2(-1, std::max(80.0f, ImGui::GetContentRegionAvail().y)));
  }
  end_card();
}

void templates_tab(const app::SetupState& setup, app::Actions& actions) {
  const float height = std::max(520.0f, ImGui::GetContentRegionAvail().y - 4);
  const float avail = ImGui::GetContentRegionAvail().x;
  // Narrow screens (a phone): the list, the form and the preview one under the other.
  const bool narrow = avail < 900.0f;
  templates_list(setup, actions, narrow ? ImVec2(0, 200) : ImVec2(240, height));
  if (!narrow) ImGui::SameLine();
  if (!setup.editor.open) {
    begin_card("##template-empty", ImVec2(0, narrow ? 0 : height), narrow ? CardHeight::fit_content : CardHeight::given,
               "Template");
    wrapped_muted_text("Pick a template to edit it, or press New template.");
    end_card();
    return;
  }
  if (narrow) {
    editor_form(setup.editor, actions, ImVec2(0, height));
    side_column(setup, actions, ImVec2(0, height));
    return;
  }
  const float rest = ImGui::GetContentRegionAvail().x;
  const float side_w = std::clamp(rest * 0.36f, 300.0f, 460.0f);
  editor_form(setup.editor, actions, ImVec2(rest - side_w - ImGui::GetStyle().ItemSpacing.x, height));
  ImGui::SameLine();
  side_column(setup, actions, ImVec2(0, height));
}

void senders_tab(const app::SetupState& setup, app::Actions& actions) {
  begin_card("##senders", ImVec2(0, 0), CardHeight::fit_content, "Sender addresses");
  wrapped_muted_text(
      "The sender address each division's invitations use by default (Email From on the invite "
      "screen). Empty: the division's address from the billing system.");
  ImGui::Spacing();
  if (setup.divisions_status == app::LoadStatus::loading && setup.divisions.empty()) muted_text("Loading\u2026");
  if (setup.divisions_status == app::LoadStatus::failed) {
    announced_text(Tone::bad, setup.divisions_error, "divisions-failed");
    if (button("Try again##divisions")) actions.setup().load_divisions();
  }
  const app::DivisionEdit& edit = setup.division;
  if (edit.id == 0) focused_division = 0;
  constexpr ImGuiTableFlags table_flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                          ImGuiTableFlags_BordersV | ImGuiTableFlags_SizingStretchProp;
  if (!setup.divisions.empty() && begin_grid("##divisions", 4, table_flags, ImVec2(0, 0), "Sender addresses",
                                             static_cast<std::int64_t>(setup.divisions.size()))) {
    ImGui::TableSetupColumn("Division", 0, 0.8f);
    ImGui::TableSetupColumn("Sender address", 0, 2.2f);
    ImGui::TableSetupColumn("Billing system address", 0, 1.3f);
    ImGui::TableSetupColumn("Actions", ImGuiTableColumnFlags_WidthFixed, 150);
    grid_headers({"Division", "Sender address", "Billing system address", "Actions"});
    std::int64_t index = 0;
    for (const app::DivisionRecord& d : setup.divisions) {
      ImGui::PushID(static_cast<int>(d.id));
      grid_row(index++);
      grid_cell(d.name, true);
      const bool editing = edit.id == d.id;
      if (editing) {
        grid_control_cell();
        if (focused_division != d.id) a11y::focus_next_item();  // typing starts at once
        focused_division = d.id;
        std::string edited;
        if (text_field("##division-email", edit.text, edited, -1, "empty: use the billing system's address", 0,
                       semantics::InputKind::email))
          actions.setup().set_division_email(edited);
        if (field_submitted()) actions.setup().save_division();
        const std::string problem = app::division_email_problem(edit);
        if (!problem.empty())
          field_problem(problem);
        else if (!edit.error.empty())
          announced_text(Tone::bad, edit.error, "division-error");
      } else if (d.default_from_email) {
        grid_cell(*d.default_from_email, true);
      } else {
        grid_muted_cell("none \u2014 Email From must be typed", true);
      }
      if (d.billing_default_from_email)
        grid_cell(*d.billing_default_from_email, true);
      else
        grid_muted_cell("\u2014", true);
      grid_control_cell();
      if (editing) {
        ImGui::BeginDisabled(edit.saving || !app::division_email_problem(edit).empty());
        if (small_button(edit.saving ? "Saving\u2026###division-save" : "Save###division-save"))
          actions.setup().save_division();
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (small_button("Cancel##division")) actions.setup().cancel_division_edit();
      } else {
        ImGui::BeginDisabled(edit.id != 0);
        if (small_button("Edit", "Edit " + d.name)) actions.setup().edit_division(d.id);
        ImGui::EndDisabled();
      }
      ImGui::PopID();
    }
    end_grid();
  }
  if (!edit.saved_notice.empty()) announced_text(Tone::good, edit.saved_notice, "division-saved");
  end_card();
}

}  // namespace

void draw_setup_panel(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  heading("Invitation setup", fonts.title);
  ImGui::Spacing();
  if (state.offline.offline) {
    status_dot(Tone::warning);
    announced_text(Tone::warning,
                   "The server cannot be reached: templates and sender addresses cannot be loaded or saved now.",
                   "setup-offline");
  }
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(16, 12));
  if (begin_tab_bar("##setup-tabs", "Setup")) {
    if (begin_tab("Templates")) {
      templates_tab(state.setup, actions);
      end_tab();
    }
    if (begin_tab("Sender addresses")) {
      senders_tab(state.setup, actions);
      end_tab();
    }
    end_tab_bar();
  }
  ImGui::PopStyleVar();
}

}  // namespace invites::panels
