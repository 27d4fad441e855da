#pragma once
// Look of the app: colors, spacing and the fonts panels may use.

struct ImFont;

namespace invites::panels {

struct Fonts {
  ImFont* body = nullptr;   // default UI text
  ImFont* title = nullptr;  // screen titles
};

// Applies the app's ImGui style (call once after ImGui::CreateContext()).
void apply_style();

// Colors for status indicators.
enum class Tone { Neutral, Good, Bad };
unsigned tone_color(Tone tone);  // ImU32

}  // namespace invites::panels
