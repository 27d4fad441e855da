#pragma once
// Look of the app: colors, spacing and the fonts panels may use.

struct ImFont;

namespace invites::panels {

struct Fonts {
  ImFont* body = nullptr;   // default UI text
  ImFont* title = nullptr;  // screen titles, the counts
};

// Applies the app's ImGui style (after ImGui::CreateContext(), and again when
// the browser's contrast preference changes): the colors of panels/palette.hpp.
void apply_style(bool high_contrast);

// Colors for status indicators and messages.
enum class Tone { neutral, good, bad, warning, info, link };
unsigned tone_color(Tone tone);  // ImU32
// The primary button's colors.
enum class AccentPart { normal, hovered, active, text };
unsigned accent_color(AccentPart part);  // ImU32

// Layout constants shared by the panels (CSS px).
inline constexpr float form_label_width = 215.0f;
inline constexpr float field_width = 320.0f;

}  // namespace invites::panels
