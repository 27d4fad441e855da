// Bulk Portal Invites — browser app entry point.
//
// Wires the web platform layer (platform/), the app state and actions (app/)
// and the panels (panels/) into one main loop driven by requestAnimationFrame.
// Each tick: deliver finished requests, follow canvas size / DPR, and only if
// the idle gate is open build and draw an ImGui frame.

#include "app/app.hpp"
#include "page_status.hpp"
#include "panels/a11y.hpp"
#include "panels/recipients_panel.hpp"
#include "panels/shell_panel.hpp"
#include "panels/style.hpp"
#include "panels/widgets.hpp"
#include "platform/a11y_bridge.hpp"
#include "platform/canvas.hpp"
#include "platform/clipboard.hpp"
#include "platform/display_preferences.hpp"
#include "platform/cursor.hpp"
#include "platform/download.hpp"
#include "platform/fetch.hpp"
#include "platform/gl_window.hpp"
#include "platform/idle_gate.hpp"
#include "platform/input.hpp"
#include "platform/local_time.hpp"
#include "platform/open_tab.hpp"
#include "platform/page.hpp"
#include "platform/random_key.hpp"
#include "platform/snapshot_store.hpp"
#include "platform/ui_font.hpp"
#include "platform/ui_probe.hpp"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>  // ImGuiContext::InputEventsQueue

namespace {

using namespace invites;

constexpr const char* canvas_selector = "#canvas";
constexpr const char* font_url = "ui-font.ttf";  // copied into the bundle by web_bundle

struct Runtime {
  platform::Canvas canvas{canvas_selector};
  platform::GlWindow window;
  platform::UiFont font;
  platform::WebSnapshotPlatform snapshots;  // offline copy: download + IndexedDB
  app::App app{platform::fetch, platform::open_download, &snapshots};
  panels::Fonts fonts;
  semantics::Tree a11y_tree;  // what the frame shows, for the page's DOM layer
  semantics::PageRequests page_requests;
  platform::A11yBridge a11y;
  bool a11y_on = false;
  unsigned frames = 0;
};

void tick(void* runtime) {
  Runtime& rt = *static_cast<Runtime*>(runtime);
  platform::fetch_dispatch();  // results change app state and wake the gate
  platform::WebSnapshotPlatform::dispatch();
  if (rt.app.offline.tick()) platform::idle::wake();             // local answers, sync, estimate
  rt.app.actions.sending().tick(emscripten_get_now() / 1000.0);  // job polling (only while a job runs)
  if (rt.canvas.refresh()) platform::idle::wake();
  if (rt.window.context_lost()) return;  // nothing can be drawn until the browser gives it back
  if (rt.window.renew_after_restore()) platform::idle::wake();
  if (!rt.font.settled()) return;  // "Loading…" stays up until the font is here
  if (rt.font.build_for(rt.canvas.metrics().dpr)) {
    rt.fonts = panels::Fonts{rt.font.body(), rt.font.title()};
    platform::idle::wake();
  }
  if (!platform::idle::should_draw()) return;

  const double frame_start = emscripten_get_now();
  rt.window.begin_frame(rt.canvas.metrics());
  panels::a11y::begin_frame();
  panels::draw_shell_panel(rt.app.state, rt.app.actions, rt.fonts);
  panels::a11y::finish_frame();
  const double ui_end = emscripten_get_now();
  rt.window.end_frame(rt.canvas.metrics());
  const double reconcile_start = emscripten_get_now();
  if (rt.a11y_on) rt.a11y.publish(rt.a11y_tree, rt.a11y_tree.end_frame());
  const double frame_end = emscripten_get_now();

  platform::ui_probe::frame_end();
  platform::apply_cursor(canvas_selector, ImGui::GetMouseCursor());
  platform::idle::frame_drawn();
  // ImGui trickles input over frames (a key's press and release, or a click
  // and the text typed after it, never share one), so fast typing on a slow
  // machine leaves events queued: draw until they are all processed, not
  // only until the idle gate's settle time after the last event.
  if (ImGui::GetCurrentContext()->InputEventsQueue.Size > 0) platform::idle::request_frames(1);
  if (panels::recipients_search_pending()) platform::idle::request_frames(1);  // the search debounce
  if (panels::a11y::needs_frames()) platform::idle::request_frames(1);         // a focus or press on its way
  ++rt.frames;
  publish_page_status(rt.app.state,
                      FrameStatus{rt.frames, rt.canvas.metrics(), rt.font.built_dpr(), rt.font.problem().c_str(),
                                  ImGui::GetIO().ConfigInputTextCursorBlink, frame_end - frame_start,
                                  ui_end - frame_start, frame_end - reconcile_start});
  if (rt.frames == 1) platform::page::publish_ready();
}

}  // namespace

int main() {
  static Runtime runtime;

  // The font first: if it must still be fetched, it arrives during the WebGL
  // set-up; the first frame waits for it.
  runtime.font.load(font_url);
  runtime.canvas.refresh();  // the backing store's size before the context uses it
  if (!runtime.window.create(canvas_selector, runtime.canvas.metrics())) {
    platform::page::show_fatal("This browser cannot run the app: WebGL 2 is not available.");
    return 1;
  }
  panels::apply_style(platform::prefers_high_contrast());  // read once, at start
  // Reduced motion: the text cursor stays lit instead of blinking.
  ImGui::GetIO().ConfigInputTextCursorBlink = !platform::prefers_reduced_motion();
  runtime.canvas.install_listeners();
  platform::install_input(runtime.window.handle(), runtime.canvas);
  platform::ui_probe::install();
  platform::install_clipboard();
  panels::set_time_formatter(platform::local_time);
  runtime.a11y_on = runtime.a11y.install(runtime.page_requests);
  if (runtime.a11y_on) panels::a11y::set_context(&runtime.a11y_tree, &runtime.page_requests);

  runtime.app.actions.sending().set_html_opener(platform::open_html_tab);
  runtime.app.actions.sending().set_key_source(platform::random_key);
  runtime.app.offline.set_wake([] { platform::idle::wake(); });
  runtime.app.actions.start();  // /healthz and GET /api/me (restores a session)

  emscripten_set_main_loop_arg(tick, &runtime, 0, false);
  // With the font here (web/boot.js read it during the downloads) the first
  // frame is drawn now, not at the next animation frame.
  tick(&runtime);
  return 0;
}
