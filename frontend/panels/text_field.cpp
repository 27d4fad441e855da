#include "panels/text_field.hpp"

#include <imgui.h>

namespace invites::panels {
namespace {

int grow(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* text = static_cast<std::string*>(data->UserData);
    text->resize(static_cast<std::size_t>(data->BufTextLen));
    data->Buf = text->data();
  }
  return 0;
}

}  // namespace

bool text_field(const char* id, const std::string& value, std::string& edited, float width, const char* hint,
                int flags) {
  edited = value;
  ImGui::SetNextItemWidth(width);
  const bool changed = ImGui::InputTextWithHint(id, hint ? hint : "", edited.data(), edited.capacity() + 1,
                                                flags | ImGuiInputTextFlags_CallbackResize, grow, &edited);
  return changed && edited != value;
}

bool text_area(const char* id, const std::string& value, std::string& edited, const ImVec2& size, int flags) {
  edited = value;
  const bool changed = ImGui::InputTextMultiline(id, edited.data(), edited.capacity() + 1, size,
                                                 flags | ImGuiInputTextFlags_CallbackResize, grow, &edited);
  return changed && edited != value;
}

void text_view(const char* id, const std::string& text, const ImVec2& size) {
  // ReadOnly: ImGui never writes into the buffer.
  ImGui::InputTextMultiline(id, const_cast<char*>(text.c_str()), text.size() + 1, size, ImGuiInputTextFlags_ReadOnly);
}

}  // namespace invites::panels
