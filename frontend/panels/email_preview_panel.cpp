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
  form_label("Send a test to", preview_label_width);
  std::string edited;
  if (text_field("##test-to", email.test_to, edited, 300.0f, "you@company.com"))
    actions.sending().set_test_address(edited);
  const bool typed_enter = ImGui::IsItemFocused() && enter_pressed();
  ImGui::SameLine();
  const bool busy = email.test_status == app::LoadStatus::loading;
  const std::string offline_reason = app::offline_block_reason(state);
  ImGui::BeginDisabled(busy || email.test_to.empty() || state.offline.offline);
  if (ImGui::Button("Send test") || (typed_enter && !busy && !state.offline.offline)) actions.sending().send_test();
  ImGui::EndDisabled();
  if (state.offline.offline && !offline_reason.empty()) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", offline_reason.c_str());
  }
  if (!email.test_message.empty()) {
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + preview_label_width - ImGui::GetStyle().WindowPadding.x);
    const Tone tone = email.test_status == app::LoadStatus::loaded   ? Tone::good
                      : email.test_status == app::LoadStatus::failed ? Tone::bad
                                                                     : Tone::neutral;
    tone_text(tone, email.test_message);
  }
}

}  // namespace

void draw_email_preview_panel(const app::State& state, app::Actions& actions, const Fonts&) {
  const app::EmailPreview& email = state.send.email;
  // When it appears, the screen scrolls to it (for two frames: the first
  // frame's scroll is clamped to the height before the preview was there).
  if (frames_since_shown("email preview") < 2) ImGui::SetScrollHereY(0.0f);
  begin_card("##email-preview", ImVec2(0, 0), CardHeight::fit_content);

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Email preview");
  if (right_aligned_button("Close preview")) {
    actions.sending().close_email_preview();
    end_card();
    return;
  }
  ImGui::Separator();
  ImGui::Spacing();

  form_label("To", preview_label_width);
  if (email.status == app::LoadStatus::loading && !email.recipient)
    ImGui::TextDisabled("Finding a recipient\u2026");
  else
    ImGui::TextUnformatted(recipient_line(email).c_str());
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + preview_label_width - ImGui::GetStyle().WindowPadding.x);
  ImGui::TextDisabled(state.recipients.open ? "Click an email in the recipient list to preview it for that person."
                                            : "Open a count's list and click an email to preview another recipient.");

  if (email.status == app::LoadStatus::failed) {
    tone_text(Tone::bad, "The preview could not be shown: " + email.error);
    if (ImGui::Button("Try again")) actions.sending().refresh_email_preview();
  } else {
    const bool loading = email.status == app::LoadStatus::loading;
    form_label("Subject", preview_label_width);
    if (loading && email.subject.empty()) {
      ImGui::TextDisabled("Rendering\u2026");
    } else {
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(email.subject.c_str());
      ImGui::PopTextWrapPos();
    }
    form_label("Text", preview_label_width);
    const float body_h = ImGui::GetTextLineHeight() * 9;
    text_view("##email-text", email.text_body, ImVec2(-1, body_h));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + preview_label_width - ImGui::GetStyle().WindowPadding.x);
    ImGui::BeginDisabled(loading || email.html_body.empty());
    if (ImGui::Button("Open HTML in a new tab")) actions.sending().open_html_preview();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(loading);
    if (ImGui::Button("Refresh")) actions.sending().refresh_email_preview();
    ImGui::EndDisabled();
    if (email.status == app::LoadStatus::loaded && email.html_body.empty()) {
      ImGui::SameLine();
      ImGui::AlignTextToFramePadding();
      ImGui::TextDisabled("Plain-text template: no HTML part.");
    }
  }

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  test_send_row(state, actions);
  end_card();
}

}  // namespace invites::panels
