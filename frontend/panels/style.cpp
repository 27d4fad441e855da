#include "panels/style.hpp"

#include <imgui.h>

namespace invites::panels {

void apply_style() {
  ImGui::StyleColorsLight();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowPadding = ImVec2(24, 20);
  style.FramePadding = ImVec2(10, 5);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(6, 4);
  style.WindowRounding = 0;
  style.FrameRounding = 4;
  style.GrabRounding = 4;
  style.ChildRounding = 4;
  style.PopupRounding = 4;
  style.WindowBorderSize = 0;
  style.FrameBorderSize = 1;
  style.ScrollbarSize = 16;
  style.ChildBorderSize = 1;
  style.PopupBorderSize = 1;
  style.DisabledAlpha = 0.5f;

  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.965f, 0.969f, 0.976f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_Text] = ImVec4(0.11f, 0.13f, 0.16f, 1.0f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.42f, 0.45f, 0.50f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.80f, 0.82f, 0.86f, 1.0f);
  c[ImGuiCol_Separator] = ImVec4(0.84f, 0.86f, 0.89f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.93f, 0.94f, 0.96f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.85f, 0.90f, 0.98f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.74f, 0.83f, 0.97f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.95f, 0.97f, 1.0f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.92f, 0.95f, 1.0f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(0.09f, 0.37f, 0.80f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.88f, 0.92f, 0.98f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.85f, 0.90f, 0.98f, 1.0f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.74f, 0.83f, 0.97f, 1.0f);
  c[ImGuiCol_PopupBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_NavHighlight] = ImVec4(0.09f, 0.37f, 0.80f, 0.9f);
}

unsigned tone_color(Tone tone) {
  switch (tone) {
    case Tone::good:
      return IM_COL32(34, 139, 74, 255);
    case Tone::bad:
      return IM_COL32(190, 38, 38, 255);
    case Tone::warning:
      return IM_COL32(168, 98, 0, 255);
    case Tone::info:
      return IM_COL32(30, 90, 170, 255);
    case Tone::link:
      return IM_COL32(22, 94, 204, 255);
    case Tone::neutral:
      break;
  }
  return IM_COL32(150, 156, 166, 255);
}

}  // namespace invites::panels
