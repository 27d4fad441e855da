#include "platform/ui_font.hpp"

#include "platform/fetch.hpp"
#include "platform/idle_gate.hpp"
#include "ui_glyph_ranges.hpp"

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <emscripten.h>

#include <cstdio>
#include <utility>

// The font's bytes if web/boot.js has read them already (it starts during the
// downloads); they are taken once.
// clang-format off
EM_JS(int, js_read_font_size, (), {
  var bytes = Module['uiFontBytes'];
  return bytes ? bytes.length : 0;
});

EM_JS(void, js_take_read_font, (char* target), {
  HEAPU8.set(Module['uiFontBytes'], target);
  Module['uiFontBytes'] = null;
});
// clang-format on

namespace invites::platform {
namespace {

constexpr float body_size_px = 16.0f;   // CSS px
constexpr float title_size_px = 24.0f;  // CSS px

// TrueType / OpenType signatures: a wrong file (an HTML error page) must not
// reach the rasterizer.
bool looks_like_font(const std::string& bytes) {
  if (bytes.size() < 12) return false;
  const std::string magic = bytes.substr(0, 4);
  return magic == std::string("\x00\x01\x00\x00", 4) || magic == "true" || magic == "OTTO";
}

}  // namespace

void UiFont::load(const char* url) {
  if (const int size = js_read_font_size(); size > 0) {
    app::FetchResult read;
    read.status = 200;
    read.body.assign(static_cast<size_t>(size), '\0');
    js_take_read_font(read.body.data());
    settle(std::move(read));
    return;
  }
  app::FetchRequest request;
  request.url = url;
  request.timeout_ms = 20000;
  request.bypass_http_cache = false;  // a static file of the bundle
  fetch(std::move(request), [this](app::FetchResult&& result) { settle(std::move(result)); });
}

void UiFont::settle(app::FetchResult&& result) {
  if (result.ok() && looks_like_font(result.body)) {
    ttf_ = std::move(result.body);
  } else {
    problem_ = result.ok() ? "not a TrueType font" : result.error;
    std::fprintf(stderr, "UI font unavailable (%s): using the built-in font\n", problem_.c_str());
  }
  settled_ = true;
  idle::wake();
}

bool UiFont::build_for(double dpr) {
  if (!settled_ || dpr == built_dpr_) return false;
  built_dpr_ = dpr;

  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  io.Fonts->TexDesiredWidth = 1024;

  ImFontConfig config;
  config.RasterizerDensity = static_cast<float>(dpr);  // glyph pixels at device resolution
  // One horizontal sample: glyphs sit on whole pixels. Two looked the same at
  // 16 px on screen but tripled the rasterizing (the atlas is built before
  // the first frame: 22 ms against 78, median of 9 first visits).
  config.OversampleH = 1;
  config.OversampleV = 1;
  if (!ttf_.empty()) {
    config.FontDataOwnedByAtlas = false;  // the bytes stay in ttf_ for the next rebuild
    const int size = static_cast<int>(ttf_.size());
    body_ = io.Fonts->AddFontFromMemoryTTF(ttf_.data(), size, body_size_px, &config, ui_glyph_ranges);
    title_ = io.Fonts->AddFontFromMemoryTTF(ttf_.data(), size, title_size_px, &config, ui_glyph_ranges);
  } else {
    body_ = io.Fonts->AddFontDefault(&config);
    title_ = body_;
  }

  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  io.Fonts->ClearTexData();  // the pixels live in the GL texture now
  return true;
}

}  // namespace invites::platform
