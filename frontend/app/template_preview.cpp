// The Setup editor's live preview: the template rendered here, in the app,
// by the same common/ code the server sends with, with the documented
// example values (no request per keystroke).
#include "app/setup_actions.hpp"

#include <invites/template.hpp>

namespace invites::app {

void render_editor_preview(TemplateEditor& editor) {
  editor.problem.reset();
  editor.preview_subject.clear();
  editor.preview_text.clear();
  editor.preview_html.clear();
  const std::optional<ContentType> type = parse_content_type(editor.content_type);
  if (!type) {
    editor.problem = TemplateProblem{"content_type", 0, "unknown content type \"" + editor.content_type + "\""};
    return;
  }
  TemplateText text;
  text.subject = editor.subject;
  text.content_type = *type;
  text.body = editor.body;
  text.text_body = editor.text_body;
  try {
    RenderedMessage message = render_template(text, example_merge_values());
    editor.preview_subject = std::move(message.subject);
    editor.preview_text = std::move(message.text_body);
    editor.preview_html = std::move(message.html_body);
    require_invite_link(text);  // the server refuses to save or send without it: say so while typing
  } catch (const TemplateError& error) {
    editor.problem = TemplateProblem{error.part(), error.line(), error.what()};
  }
}

}  // namespace invites::app
