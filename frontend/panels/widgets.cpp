#include "panels/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

namespace invites::panels {

void begin_card(const char* id, const ImVec2& size, CardHeight height) {
  ImGuiChildFlags flags = ImGuiChildFlags_Border | ImGuiChildFlags_AlwaysUseWindowPadding;
  if (height == CardHeight::fit_content) flags |= ImGuiChildFlags_AutoResizeY;
  ImGui::BeginChild(id, size, flags);
}

void end_card() { ImGui::EndChild(); }

int frames_since_shown(const char* id) {
  // Kept in the current window's state storage, which outlives frames it is not drawn in.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  ImGui::PushID(id);
  const ImGuiID last_drawn_key = ImGui::GetID("last drawn");
  const ImGuiID shown_since_key = ImGui::GetID("shown since");
  ImGui::PopID();
  const int frame = ImGui::GetFrameCount();
  if (storage->GetInt(last_drawn_key, -10) < frame - 1) storage->SetInt(shown_since_key, frame);
  storage->SetInt(last_drawn_key, frame);
  return frame - storage->GetInt(shown_since_key, frame);
}

void form_label(const char* label, float label_width) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::SameLine(label_width);
}

bool enter_pressed() {
  return ImGui::IsKeyPressed(ImGuiKey_Enter, false) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter, false);
}

bool enter_submits() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  return enter_pressed() && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
         !ImGui::IsAnyItemActive() && g.NavActivateId == 0 && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
}

bool begin_combo(const char* id, const char* preview, ImGuiComboFlags flags) {
  const ImGuiID item_id = ImGui::GetID(id);  // before BeginCombo may enter its popup window
  const bool open = ImGui::BeginCombo(id, preview, flags);
#ifdef IMGUI_ENABLE_TEST_ENGINE
  // BeginCombo adds its item without a label: name it for the UI probe.
  ImGuiContext* g = ImGui::GetCurrentContext();
  if (g->TestEngineHookItems) ImGuiTestEngineHook_ItemInfo(g, item_id, id, 0);
#else
  (void)item_id;
#endif
  return open;
}

void multi_select_combo(const char* id, const std::vector<app::LookupItem>& items, const std::vector<Id>& selected,
                        float width, const MultiSelectEvents& events) {
  const std::string preview = app::selection_summary(items, selected);
  ImGui::SetNextItemWidth(width);
  ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width * 1.6f, ImGui::GetFontSize() * 22));
  if (!begin_combo(id, preview.c_str(), ImGuiComboFlags_HeightLarge)) return;
  bool all = selected.empty();
  if (ImGui::Checkbox("All", &all) && all) events.select_all();
  ImGui::Separator();
  if (items.empty()) ImGui::TextDisabled("(none defined)");
  for (const app::LookupItem& item : items) {
    bool on = false;
    for (const Id s : selected) on = on || s == item.id;
    ImGui::PushID(static_cast<int>(item.id));
    if (ImGui::Checkbox(item.name.c_str(), &on)) events.set(item.id, on);
    ImGui::PopID();
  }
  ImGui::EndCombo();
}

bool link_button(const char* id, const char* text, ImFont* font) {
  if (font) ImGui::PushFont(font);
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::InvisibleButton(id, size);
  const bool hovered = ImGui::IsItemHovered();
  const bool enabled = (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) == 0;
  ImU32 color = tone_color(enabled ? Tone::link : Tone::neutral);
  if (!enabled) color = ImGui::GetColorU32(ImGuiCol_Text);  // greyed by the disabled alpha
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddText(pos, color, text);
  if (hovered && enabled) {
    const float y = pos.y + size.y - 1.0f;
    draw->AddLine(ImVec2(pos.x, y), ImVec2(pos.x + size.x, y), color, 1.0f);
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  }
  if (font) ImGui::PopFont();
  return clicked;
}

bool right_aligned_button(const char* label) {
  const float width = ImGui::CalcTextSize(label, nullptr, /*hide_text_after_double_hash=*/true).x +
                      ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - width));
  return ImGui::Button(label);
}

bool primary_button(const char* label, float width, bool enabled) {
  ImGui::BeginDisabled(!enabled);
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.09f, 0.37f, 0.80f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.13f, 0.44f, 0.88f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.06f, 0.30f, 0.68f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.06f, 0.30f, 0.68f, 1.0f));
  const ImGuiStyle& style = ImGui::GetStyle();
  const bool clicked = ImGui::Button(label, ImVec2(width, ImGui::GetFrameHeight() + style.FramePadding.y * 0.8f));
  ImGui::PopStyleColor(5);
  ImGui::EndDisabled();
  return clicked && enabled;
}

void status_dot(Tone tone) {
  const float radius = ImGui::GetFontSize() * 0.28f;
  const float frame_h = ImGui::GetFrameHeight();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(pos.x + radius, pos.y + frame_h * 0.5f), radius, tone_color(tone));
  ImGui::Dummy(ImVec2(radius * 2, frame_h));
  ImGui::SameLine();
}

void tone_text(Tone tone, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(tone_color(tone)));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

bool begin_list_table(const char* id, std::initializer_list<std::pair<const char*, float>> columns, float height) {
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV |
                                    ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY |
                                    ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable(id, static_cast<int>(columns.size()), flags, ImVec2(0, height))) return false;
  ImGui::TableSetupScrollFreeze(0, 1);
  for (const auto& [header, weight] : columns) ImGui::TableSetupColumn(header, 0, weight);
  ImGui::TableHeadersRow();
  return true;
}

std::string grouped_number(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[i];
    if ((n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
  }
  return out;
}

}  // namespace invites::panels
