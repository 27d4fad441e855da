#pragma once
// The UI font: a TTF downloaded once at start (it is part of the web bundle,
// not embedded in the wasm) and rasterized into ImGui's atlas at the
// current devicePixelRatio, so glyphs are drawn 1:1 on device pixels. The
// atlas is rebuilt when the ratio changes (browser zoom, another screen).

#include "app/fetcher.hpp"

#include <string>

struct ImFont;

namespace invites::platform {

class UiFont {
 public:
  // Takes the bytes web/boot.js has read already (settled at once), or
  // starts the download. If it fails, ImGui's built-in font is used.
  void load(const char* url);

  // The download is over (successfully or not): the atlas can be built.
  bool settled() const { return settled_; }
  // Why the TTF could not be used (empty if it was).
  const std::string& problem() const { return problem_; }

  // Builds the atlas for `dpr` unless it already is; uploads the texture.
  // Must be called between frames. Returns true if it rebuilt.
  bool build_for(double dpr);

  // The ratio the atlas was last built for (0 before the first build).
  double built_dpr() const { return built_dpr_; }

  ImFont* body() const { return body_; }
  ImFont* title() const { return title_; }

 private:
  // Keeps the bytes if they are a font, else records why not.
  void settle(app::FetchResult&& result);

  std::string ttf_;
  std::string problem_;
  bool settled_ = false;
  double built_dpr_ = 0;
  ImFont* body_ = nullptr;
  ImFont* title_ = nullptr;
};

}  // namespace invites::platform
