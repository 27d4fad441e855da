#include "panels/text_field.hpp"

#include "panels/a11y.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <string_view>

namespace invites::panels {
namespace {

semantics::Key last_field = 0;
// The field ImGui is editing and its text at the end of the last frame: when
// the app's value differs from it, the app changed the text (a cleared
// password after a refused sign-in) and that change must reach ImGui, which
// otherwise keeps its own copy while it edits.
ImGuiID edited_field = 0;
std::string edited_field_text;

// What the ImGui callback works on: the app's text, and the page's edit to
// put into ImGui's editing state while the field is active.
struct Field {
  std::string* text;
  const semantics::TextEdit* edit;
};

int field_callback(ImGuiInputTextCallbackData* data) {
  auto* field = static_cast<Field*>(data->UserData);
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    field->text->resize(static_cast<std::size_t>(data->BufTextLen));
    data->Buf = field->text->data();
  } else if (data->EventFlag == ImGuiInputTextFlags_CallbackAlways && field->edit != nullptr) {
    const semantics::TextEdit& edit = *field->edit;
    const bool read_only = (data->Flags & ImGuiInputTextFlags_ReadOnly) != 0;
    if (!read_only && std::string_view(data->Buf, static_cast<std::size_t>(data->BufTextLen)) != edit.text) {
      data->DeleteChars(0, data->BufTextLen);
      data->InsertChars(0, edit.text.data(), edit.text.data() + edit.text.size());
    }
    const int length = data->BufTextLen;
    data->SelectionStart = std::min(static_cast<int>(edit.selection_start), length);
    data->SelectionEnd = std::min(static_cast<int>(edit.selection_end), length);
    data->CursorPos = data->SelectionEnd;
  }
  return 0;
}

// Draws the field through `draw` (which calls the ImGui widget with the
// callback) with the page's edit applied, and describes it.
template <typename Draw>
bool synced_field(const char* id, const std::string& value, std::string& edited, semantics::InputKind kind,
                  const char* name, int flags, Draw draw) {
  const ImGuiID imgui_id = ImGui::GetID(id);
  a11y::TextSync sync = a11y::begin_text_field(imgui_id);
  if (sync.editing && !sync.edit && edited_field == imgui_id && value != edited_field_text)
    sync.edit = semantics::TextEdit{value, value.size(), value.size()};
  edited = value;
  if (sync.edit && !sync.editing && !(flags & ImGuiInputTextFlags_ReadOnly)) edited = sync.edit->text;
  Field field{&edited, sync.editing && sync.edit ? &*sync.edit : nullptr};
  int all_flags = flags | ImGuiInputTextFlags_CallbackResize;
  if (field.edit) all_flags |= ImGuiInputTextFlags_CallbackAlways;
  draw(all_flags, &field);
  if (sync.editing) {
    edited_field = imgui_id;
    edited_field_text = edited;
  } else if (edited_field == imgui_id) {
    edited_field = 0;
  }
  semantics::States states = 0;
  if (flags & ImGuiInputTextFlags_ReadOnly) states |= semantics::read_only;
  last_field = a11y::end_text_field(kind, name ? name : "", edited, states);
  return edited != value;
}

}  // namespace

bool text_field(const char* id, const std::string& value, std::string& edited, float width, const char* hint, int flags,
                semantics::InputKind kind) {
  ImGui::SetNextItemWidth(width);
  return synced_field(id, value, edited, kind, hint, flags, [&](int all_flags, Field* field) {
    ImGui::InputTextWithHint(id, hint ? hint : "", edited.data(), edited.capacity() + 1, all_flags, field_callback,
                             field);
  });
}

bool text_area(const char* id, const std::string& value, std::string& edited, const ImVec2& size, int flags) {
  return synced_field(
      id, value, edited, semantics::InputKind::multiline, nullptr, flags, [&](int all_flags, Field* field) {
        ImGui::InputTextMultiline(id, edited.data(), edited.capacity() + 1, size, all_flags, field_callback, field);
      });
}

void text_view(const char* id, const std::string& text, const ImVec2& size) {
  std::string shown;
  synced_field(id, text, shown, semantics::InputKind::multiline, nullptr, ImGuiInputTextFlags_ReadOnly,
               [&](int all_flags, Field* field) {
                 // ReadOnly: ImGui never writes into the buffer.
                 ImGui::InputTextMultiline(id, shown.data(), shown.size() + 1, size, all_flags, field_callback, field);
               });
}

bool field_submitted() {
  const std::optional<semantics::Key> from = a11y::submitted();
  return from && last_field != 0 && *from == last_field;
}

}  // namespace invites::panels
