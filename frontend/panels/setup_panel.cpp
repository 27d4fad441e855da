#include "panels/setup_panel.hpp"

#include "app/offline.hpp"
#include "panels/main_tabs.hpp"
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

void field_label(const char* text, bool bad) {
  ImGui::AlignTextToFramePadding();
  if (bad)
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(tone_color(Tone::bad)), "%s", text);
  else
    ImGui::TextUnformatted(text);
  ImGui::SameLine(setup_label_width);
}

void templates_list(const app::SetupState& setup, app::Actions& actions, float height) {
  begin_card("##template-list", ImVec2(240, height));
  ImGui::TextDisabled("Templates");
  ImGui::Separator();
  if (setup.templates_status == app::LoadStatus::loading && setup.templates.empty())
    ImGui::TextDisabled("Loading\u2026");
  if (setup.templates_status == app::LoadStatus::failed) {
    tone_text(Tone::bad, setup.templates_error);
    if (ImGui::Button("Try again##templates")) actions.setup().load_templates();
  }
  for (const app::TemplateRecord& t : setup.templates) {
    ImGui::PushID(static_cast<int>(t.id));
    const bool selected = setup.editor.open && setup.editor.id == t.id;
    std::string label = t.name.empty() ? "(no name)" : t.name;
    if (!t.active) label += "  (inactive)";
    if (ImGui::Selectable(label.c_str(), selected)) actions.setup().edit_template(t.id);
    ImGui::PopID();
  }
  ImGui::Spacing();
  if (ImGui::Button("New template", ImVec2(-1, 0))) actions.setup().new_template();
  end_card();
}

void editor_form(const app::TemplateEditor& editor, app::Actions& actions, float width, float height) {
  begin_card("##template-editor", ImVec2(width, height));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(editor.id ? "Edit template" : "New template");
  if (editor.dirty) {
    ImGui::SameLine();
    ImGui::TextDisabled("(unsaved changes)");
  }
  ImGui::Separator();
  ImGui::Spacing();
  // Save first: always in view, however long the bodies are.
  if (primary_button(editor.saving ? "Saving\u2026###tpl-save" : "Save###tpl-save", 130, !editor.saving))
    actions.setup().save_template();
  ImGui::SameLine();
  if (ImGui::Button("Close##tpl", ImVec2(0, ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.y * 0.8f)))
    actions.setup().close_editor();
  if (!editor.saved_notice.empty()) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    tone_text(Tone::good, editor.saved_notice);
  }
  if (!editor.save_error.empty())
    tone_text(Tone::bad,
              "Not saved: " + (editor.save_problem ? problem_text(*editor.save_problem) : editor.save_error));
  if (editor.problem) {
    status_dot(Tone::bad);
    tone_text(Tone::bad, "Template error: " + problem_text(*editor.problem));
  }
  ImGui::Spacing();
  const float field_w = ImGui::GetContentRegionAvail().x - setup_label_width + ImGui::GetStyle().WindowPadding.x;
  std::string edited;

  field_label("Name", false);
  if (text_field("##tpl-name", editor.name, edited, field_w))
    actions.setup().set_field(app::TemplateField::name, edited);

  field_label("Active", false);
  bool active = editor.active;
  if (ImGui::Checkbox("Offered on the invite screen##tpl-active", &active)) actions.setup().set_active(active);

  field_label("Content type", false);
  ImGui::SetNextItemWidth(200);
  if (begin_combo("##tpl-content-type", editor.content_type.c_str())) {
    for (const char* type : {"text/html", "text/plain"})
      if (ImGui::Selectable(type, editor.content_type == type))
        actions.setup().set_field(app::TemplateField::content_type, type);
    ImGui::EndCombo();
  }

  field_label("Subject", part_has_problem(editor, "subject"));
  if (text_field("##tpl-subject", editor.subject, edited, field_w))
    actions.setup().set_field(app::TemplateField::subject, edited);

  const bool html = editor.content_type == "text/html";
  const float line = ImGui::GetTextLineHeight();
  field_label(html ? "HTML body" : "Body", part_has_problem(editor, "body"));
  ImGui::BeginGroup();
  if (text_area("##tpl-body", editor.body, edited, ImVec2(field_w, line * 10)))
    actions.setup().set_field(app::TemplateField::body, edited);
  ImGui::EndGroup();
  if (html) {
    field_label("Text body", part_has_problem(editor, "text_body"));
    ImGui::BeginGroup();
    if (text_area("##tpl-text-body", editor.text_body, edited, ImVec2(field_w, line * 5)))
      actions.setup().set_field(app::TemplateField::text_body, edited);
    ImGui::TextDisabled("Plain-text part of the email; empty: derived from the HTML.");
    ImGui::EndGroup();
  }

  end_card();
}

void side_column(const app::SetupState& setup, app::Actions& actions, float height) {
  const app::TemplateEditor& editor = setup.editor;
  begin_card("##template-side", ImVec2(0, height));

  ImGui::TextDisabled("Merge fields");
  ImGui::SameLine();
  ImGui::TextDisabled("(click to copy)");
  ImGui::Separator();
  const float fields_h = std::min(ImGui::GetTextLineHeightWithSpacing() * 2.2f *
                                      static_cast<float>(std::max<std::size_t>(setup.merge_fields.size(), 1)),
                                  height * 0.42f);
  ImGui::BeginChild("##merge-fields", ImVec2(0, fields_h));
  for (const app::MergeFieldInfo& field : setup.merge_fields) {
    const std::string tag = "{{" + field.name + "}}";
    if (ImGui::Selectable(tag.c_str())) ImGui::SetClipboardText(tag.c_str());
    ImGui::Indent(12);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s \u2014 e.g. %s", field.description.c_str(), field.example.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Unindent(12);
  }
  ImGui::EndChild();

  ImGui::Spacing();
  ImGui::TextDisabled("Live preview (example values)");
  ImGui::Separator();
  if (editor.problem) {
    tone_text(Tone::bad, problem_text(*editor.problem));
  } else {
    ImGui::TextDisabled("Subject");
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(editor.preview_subject.c_str());
    ImGui::PopTextWrapPos();
    if (!editor.preview_html.empty()) {
      ImGui::Spacing();
      if (ImGui::SmallButton("Open HTML preview in a new tab"))
        actions.sending().open_html_document(editor.preview_html);
    }
    ImGui::Spacing();
    ImGui::TextDisabled("Text");
    text_view("##tpl-preview-text", editor.preview_text, ImVec2(-1, std::max(80.0f, ImGui::GetContentRegionAvail().y)));
  }
  end_card();
}

void templates_tab(const app::SetupState& setup, app::Actions& actions) {
  const float height = std::max(520.0f, ImGui::GetContentRegionAvail().y - 4);
  templates_list(setup, actions, height);
  ImGui::SameLine();
  if (!setup.editor.open) {
    begin_card("##template-empty", ImVec2(0, height));
    ImGui::TextDisabled("Pick a template to edit it, or press New template.");
    end_card();
    return;
  }
  const float avail = ImGui::GetContentRegionAvail().x;
  const float side_w = std::clamp(avail * 0.36f, 300.0f, 460.0f);
  editor_form(setup.editor, actions, avail - side_w - ImGui::GetStyle().ItemSpacing.x, height);
  ImGui::SameLine();
  side_column(setup, actions, height);
}

void senders_tab(const app::SetupState& setup, app::Actions& actions) {
  begin_card("##senders", ImVec2(0, 0), CardHeight::fit_content);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(
      "The sender address each division's invitations use by default (Email From on the invite "
      "screen). Empty: the division's address from the billing system.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  if (setup.divisions_status == app::LoadStatus::loading && setup.divisions.empty())
    ImGui::TextDisabled("Loading\u2026");
  if (setup.divisions_status == app::LoadStatus::failed) {
    tone_text(Tone::bad, setup.divisions_error);
    if (ImGui::Button("Try again##divisions")) actions.setup().load_divisions();
  }
  const app::DivisionEdit& edit = setup.division;
  if (edit.id == 0) focused_division = 0;
  constexpr ImGuiTableFlags table_flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                          ImGuiTableFlags_BordersV | ImGuiTableFlags_SizingStretchProp;
  if (!setup.divisions.empty() && ImGui::BeginTable("##divisions", 4, table_flags)) {
    ImGui::TableSetupColumn("Division", 0, 0.8f);
    ImGui::TableSetupColumn("Sender address", 0, 2.2f);
    ImGui::TableSetupColumn("Billing system address", 0, 1.3f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 150);
    ImGui::TableHeadersRow();
    for (const app::DivisionRecord& d : setup.divisions) {
      ImGui::PushID(static_cast<int>(d.id));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(d.name.c_str());
      ImGui::TableNextColumn();
      const bool editing = edit.id == d.id;
      if (editing) {
        if (focused_division != d.id) ImGui::SetKeyboardFocusHere();  // typing starts at once
        focused_division = d.id;
        std::string edited;
        if (text_field("##division-email", edit.text, edited, -1, "empty: use the billing system's address"))
          actions.setup().set_division_email(edited);
        if (ImGui::IsItemFocused() && enter_pressed()) actions.setup().save_division();
        const std::string problem = app::division_email_problem(edit);
        if (!problem.empty())
          tone_text(Tone::bad, problem);
        else if (!edit.error.empty())
          tone_text(Tone::bad, edit.error);
      } else if (d.default_from_email) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(d.default_from_email->c_str());
      } else {
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("none \u2014 Email From must be typed");
      }
      ImGui::TableNextColumn();
      ImGui::AlignTextToFramePadding();
      if (d.billing_default_from_email)
        ImGui::TextUnformatted(d.billing_default_from_email->c_str());
      else
        ImGui::TextDisabled("\u2014");
      ImGui::TableNextColumn();
      if (editing) {
        ImGui::BeginDisabled(edit.saving || !app::division_email_problem(edit).empty());
        if (ImGui::SmallButton(edit.saving ? "Saving\u2026###division-save" : "Save###division-save"))
          actions.setup().save_division();
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::SmallButton("Cancel##division")) actions.setup().cancel_division_edit();
      } else {
        ImGui::BeginDisabled(edit.id != 0);
        if (ImGui::SmallButton("Edit")) actions.setup().edit_division(d.id);
        ImGui::EndDisabled();
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (!edit.saved_notice.empty()) tone_text(Tone::good, edit.saved_notice);
  end_card();
}

}  // namespace

void draw_setup_panel(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  if (fonts.title) ImGui::PushFont(fonts.title);
  ImGui::TextUnformatted("Invitation setup");
  if (fonts.title) ImGui::PopFont();
  ImGui::Spacing();
  if (state.offline.offline) {
    status_dot(Tone::warning);
    tone_text(Tone::warning,
              "The server cannot be reached: templates and sender addresses cannot be loaded or saved now.");
  }
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(16, 12));
  if (ImGui::BeginTabBar("##setup-tabs")) {
    if (begin_tab("Templates")) {
      templates_tab(state.setup, actions);
      ImGui::EndTabItem();
    }
    if (begin_tab("Sender addresses")) {
      senders_tab(state.setup, actions);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::PopStyleVar();
}

}  // namespace invites::panels
