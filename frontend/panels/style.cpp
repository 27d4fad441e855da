#include "panels/style.hpp"

#include "panels/palette.hpp"

#include <imgui.h>

#include <array>
#include <cstddef>

namespace invites::panels {
namespace {

bool current_high_contrast = false;

ImVec4 color(Rgb c, float alpha = 1.0f) { return ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, alpha); }
unsigned packed(Rgb c) { return IM_COL32(c.r, c.g, c.b, 255); }

void set_colors(bool high_contrast) {
  current_high_contrast = high_contrast;
  const Palette& p = palette(high_contrast);
  ImVec4* c = ImGui::GetStyle().Colors;
  c[ImGuiCol_WindowBg] = color(p.window);
  c[ImGuiCol_ChildBg] = color(p.card);
  c[ImGuiCol_PopupBg] = color(p.card);
  c[ImGuiCol_Text] = color(p.text);
  c[ImGuiCol_TextDisabled] = color(p.muted);
  c[ImGuiCol_Border] = color(p.border);
  c[ImGuiCol_Separator] = color(p.separator);
  c[ImGuiCol_Button] = color(p.button);
  c[ImGuiCol_ButtonHovered] = color(p.button_hovered);
  c[ImGuiCol_ButtonActive] = color(p.button_active);
  c[ImGuiCol_FrameBg] = color(p.field);
  c[ImGuiCol_FrameBgHovered] = color(p.field_hovered);
  c[ImGuiCol_FrameBgActive] = color(p.field_active);
  c[ImGuiCol_CheckMark] = color(p.accent);
  c[ImGuiCol_Header] = color(p.selected);
  c[ImGuiCol_HeaderHovered] = color(p.selected_hovered);
  c[ImGuiCol_HeaderActive] = color(p.selected_active);
  c[ImGuiCol_TableHeaderBg] = color(p.button);
  c[ImGuiCol_TableRowBgAlt] = color(p.window);
  c[ImGuiCol_TextSelectedBg] = color(p.selected_active);
  c[ImGuiCol_NavHighlight] = color(p.accent, 0.9f);
}

}  // namespace

void apply_style(bool high_contrast) {
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
  // High contrast: thicker frames and borders as well as the colors.
  style.FrameBorderSize = high_contrast ? 2.0f : 1.0f;
  style.ChildBorderSize = high_contrast ? 2.0f : 1.0f;

  set_colors(high_contrast);
}

unsigned tone_color(Tone tone) {
  // By Tone.
  static constexpr std::array<Rgb Palette::*, 6> colors{&Palette::neutral, &Palette::good, &Palette::bad,
                                                        &Palette::warning, &Palette::info, &Palette::link};
  return packed(palette(current_high_contrast).*colors[static_cast<std::size_t>(tone)]);
}

unsigned accent_color(AccentPart part) {
  // By AccentPart.
  static constexpr std::array<Rgb Palette::*, 4> colors{&Palette::accent, &Palette::accent_hovered,
                                                        &Palette::accent_active, &Palette::on_accent};
  return packed(palette(current_high_contrast).*colors[static_cast<std::size_t>(part)]);
}

}  // namespace invites::panels
