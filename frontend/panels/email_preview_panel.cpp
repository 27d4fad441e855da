#include "panels/email_preview_panel.hpp"

#include "app/offline.hpp"
#include "panels/text_field.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace invites::panels {
namespace {

constexpr float preview_label_width = 135.0f;

std::string recipient_line(const app::EmailPreview& email) {
  if (!email.recipient) return "Example values (no recipient chosen)";
  const app::PreviewRecipient& r = *email.recipient;
  std::string name = r.first_name;
  if (!r.last_name.empty()) name += (name.empty() ? "" : " ") + r.last_name;
  std::string line = name.empty() ? r.email : name + " <" + r.email + ">";
  if (!r.account_number.empty() || !r.account_name.empty())
    line += "  \u00b7  account " + r.account_number + (r.account_name.empty() ? "" : " " + r.account_name);
  return line;
}

void test_send_row(const app::State& state, app::Actions& actions) {
  const app::EmailPreview& email = state.send.email;
  const FormRows rows = form_rows(300.0f, preview_label_width);
  rows.label("Send a test to");
  std::string edited;
  if (text_field("##test-to", email.test_to, edited, rows.field_width, "you@company.com", 0,
                 semantics::InputKind::email))
    actions.sending().set_test_address(edited);
  const bool typed_enter = field_submitted();
  if (rows.label_width > 0) ImGui::SameLine();
  const bool busy = email.test_status == app::LoadStatus::loading;
  const std::string offline_reason = app::offline_block_reason(state);
  ImGui::BeginDisabled(busy || email.test_to.empty() || state.offline.offline);
  if (button("Send test") || (typed_enter && !busy && !state.offline.offline)) actions.sending().send_test();
  ImGui::EndDisabled();
  if (state.offline.offline && !offline_reason.empty()) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    wrapped_muted_text(offline_reason);
  }
  if (!email.test_message.empty()) {
    rows.indent();
    const Tone tone = email.test_status == app::LoadStatus::loaded   ? Tone::good
                      : email.test_status == app::LoadStatus::failed ? Tone::bad
                                                                     : Tone::neutral;
    announced_text(tone, email.test_message, "test-send");
  }
}

}  // namespace

void draw_email_preview_panel(const app::State& state, app::Actions& actions, const Fonts&) {
  const app::EmailPreview& email = state.send.email;
  // When it appears, the screen scrolls to it (for two frames: the first
  // frame's scroll is clamped to the height before the preview was there).
  if (frames_since_shown("email preview") < 2) ImGui::SetScrollHereY(0.0f);
  // A dialog that does not block the page: the focus goes into it when it
  // opens and back to "Preview email" when it closes (with its button or Escape).
  begin_card("##email-preview", ImVec2(0, 0), CardHeight::fit_content, "Email preview", semantics::Role::dialog);

  ImGui::AlignTextToFramePadding();
  heading("Email preview");
  if (right_aligned_button("Close preview") || escape_pressed_in_card()) {
    actions.sending().close_email_preview();
    end_card();
    return;
  }
  ImGui::Separator();
  ImGui::Spacing();

  const FormRows rows = form_rows(10000.0f, preview_label_width);
  rows.label("To");
  if (email.status == app::LoadStatus::loading && !email.recipient)
    muted_text("Finding a recipient\u2026");
  else
    wrapped_text(recipient_line(email));
  rows.indent();
  wrapped_muted_text(state.recipients.open ? "Click an email in the recipient list to preview it for that person."
                                           : "Open a count's list and click an email to preview another recipient.");

  if (email.status == app::LoadStatus::failed) {
    announced_text(Tone::bad, "The preview could not be shown: " + email.error, "preview-failed");
    if (button("Try again")) actions.sending().refresh_email_preview();
  } else {
    const bool loading = email.status == app::LoadStatus::loading;
    rows.label("Subject");
    if (loading && email.subject.empty())
      muted_text("Rendering\u2026");
    else
      wrapped_text(email.subject);
    rows.label("Text");
    const float body_h = ImGui::GetTextLineHeight() * 9;
    text_view("##email-text", email.text_body, ImVec2(-1, body_h));
    rows.indent();
    ImGui::BeginDisabled(loading || email.html_body.empty());
    if (button("Open HTML in a new tab")) actions.sending().open_html_preview();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(loading);
    if (button("Refresh")) actions.sending().refresh_email_preview();
    ImGui::EndDisabled();
    if (email.status == app::LoadStatus::loaded && email.html_body.empty()) {
      ImGui::SameLine();
      ImGui::AlignTextToFramePadding();
      wrapped_muted_text("Plain-text template: no HTML part.");
    }
  }

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  test_send_row(state, actions);
  end_card();
}

}  // namespace invites::panels
