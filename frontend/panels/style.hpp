#pragma once
// Look of the app: colors, spacing and the fonts panels may use.

struct ImFont;

namespace invites::panels {

struct Fonts {
  ImFont* body = nullptr;   // default UI text
  ImFont* title = nullptr;  // screen titles, the counts
};

// Applies the app's ImGui style (call once after ImGui::CreateContext()).
void apply_style();

// Colors for status indicators and messages.
enum class Tone { Neutral, Good, Bad, Warning, Info, Link };
unsigned tone_color(Tone tone);  // ImU32

// Layout constants shared by the panels (CSS px).
inline constexpr float kFormLabelWidth = 215.0f;
inline constexpr float kFieldWidth = 320.0f;

}  // namespace invites::panels
