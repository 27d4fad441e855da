// Every text color of the app's palettes (ordinary and high contrast)
// against every background it is drawn on meets WCAG 2.1 AA: 4.5:1
// (frontend/panels/palette.hpp; disabled controls are exempt in WCAG and
// drawn at half opacity).
#include "panels/palette.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using invites::panels::contrast_ratio;
using invites::panels::Palette;
using invites::panels::Rgb;

namespace {

void check_texts(const Palette& p, const char* which) {
  const std::vector<std::pair<const char*, Rgb>> backgrounds = {
      {"window", p.window},         {"card", p.card},
      {"field", p.field},           {"field hovered", p.field_hovered},
      {"button", p.button},         {"button hovered", p.button_hovered},
      {"selected row", p.selected}, {"selected row hovered", p.selected_hovered},
  };
  const std::vector<std::pair<const char*, Rgb>> texts = {
      {"text", p.text},       {"muted", p.muted}, {"good", p.good}, {"bad", p.bad},
      {"warning", p.warning}, {"info", p.info},   {"link", p.link},
  };
  for (const auto& [text_name, text] : texts) {
    for (const auto& [background_name, background] : backgrounds) {
      INFO(which << ": " << text_name << " on " << background_name);
      CHECK(contrast_ratio(text, background) >= 4.5);
    }
  }
  INFO(which << ": the primary button's text");
  CHECK(contrast_ratio(p.on_accent, p.accent) >= 4.5);
  CHECK(contrast_ratio(p.on_accent, p.accent_hovered) >= 4.5);
  CHECK(contrast_ratio(p.on_accent, p.accent_active) >= 4.5);
}

}  // namespace

TEST_CASE("palette: WCAG contrast ratios are computed as the standard says") {
  CHECK(contrast_ratio({0, 0, 0}, {255, 255, 255}) == Approx(21.0));
  CHECK(contrast_ratio({255, 255, 255}, {255, 255, 255}) == Approx(1.0));
  CHECK(contrast_ratio({118, 118, 118}, {255, 255, 255}) == Approx(4.54).epsilon(0.01));  // the well-known #767676
}

TEST_CASE("palette: every text of the ordinary look has 4.5:1 on its backgrounds") {
  check_texts(invites::panels::light_palette, "ordinary");
}

TEST_CASE("palette: every text of the high-contrast look has 4.5:1, most 7:1") {
  const Palette& p = invites::panels::high_contrast_palette;
  check_texts(p, "high contrast");
  CHECK(contrast_ratio(p.text, p.window) >= 7.0);
  CHECK(contrast_ratio(p.muted, p.window) >= 7.0);
  CHECK(contrast_ratio(p.link, p.window) >= 7.0);
}
