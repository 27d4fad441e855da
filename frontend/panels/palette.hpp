#pragma once
// The app's colors: the ordinary look and the high-contrast one (for a
// browser in forced-colors mode or asking for more contrast). Plain numbers,
// no ImGui, so a native test holds every text color to WCAG 2.1's 4.5:1
// against every background it is drawn on (tests/frontend/palette_test.cpp).

#include <cmath>
#include <cstdint>

namespace invites::panels {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

struct Palette {
  // Backgrounds.
  Rgb window, card, field, field_hovered, field_active, button, button_hovered, button_active;
  Rgb selected, selected_hovered, selected_active;  // selected rows and list entries
  Rgb accent, accent_hovered, accent_active;        // the primary button, check marks, focus
  // Lines.
  Rgb border, separator;
  // Text.
  Rgb text, muted, on_accent;
  Rgb good, bad, warning, info, link;
  Rgb neutral;  // dots and bars only, never text
};

inline constexpr Palette light_palette{
    .window = {246, 247, 249},
    .card = {255, 255, 255},
    .field = {255, 255, 255},
    .field_hovered = {242, 247, 255},
    .field_active = {235, 242, 255},
    .button = {237, 240, 245},
    .button_hovered = {217, 230, 250},
    .button_active = {189, 212, 247},
    .selected = {224, 235, 250},
    .selected_hovered = {217, 230, 250},
    .selected_active = {189, 212, 247},
    .accent = {23, 94, 204},
    .accent_hovered = {33, 112, 224},
    .accent_active = {15, 77, 173},
    .border = {204, 209, 219},
    .separator = {214, 219, 227},
    .text = {28, 33, 41},
    .muted = {96, 103, 115},
    .on_accent = {255, 255, 255},
    .good = {29, 117, 62},
    .bad = {190, 38, 38},
    .warning = {143, 83, 0},
    .info = {30, 90, 170},
    .link = {22, 94, 204},
    .neutral = {120, 127, 138},
};

inline constexpr Palette high_contrast_palette{
    .window = {255, 255, 255},
    .card = {255, 255, 255},
    .field = {255, 255, 255},
    .field_hovered = {255, 255, 255},
    .field_active = {255, 255, 255},
    .button = {255, 255, 255},
    .button_hovered = {230, 230, 230},
    .button_active = {204, 204, 204},
    .selected = {230, 230, 230},
    .selected_hovered = {217, 217, 217},
    .selected_active = {204, 204, 204},
    .accent = {0, 0, 153},
    .accent_hovered = {0, 0, 204},
    .accent_active = {0, 0, 102},
    .border = {0, 0, 0},
    .separator = {0, 0, 0},
    .text = {0, 0, 0},
    .muted = {51, 51, 51},
    .on_accent = {255, 255, 255},
    .good = {0, 90, 30},
    .bad = {160, 0, 0},
    .warning = {110, 60, 0},
    .info = {0, 50, 140},
    .link = {0, 0, 170},
    .neutral = {80, 80, 80},
};

inline const Palette& palette(bool high_contrast) { return high_contrast ? high_contrast_palette : light_palette; }

// WCAG 2.1 contrast ratio of two colors, 1 (none) to 21 (black on white).
inline double contrast_ratio(Rgb a, Rgb b) {
  const auto channel = [](std::uint8_t value) {
    const double c = value / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  const auto luminance = [&](Rgb c) { return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b); };
  const double la = luminance(a), lb = luminance(b);
  return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

}  // namespace invites::panels
