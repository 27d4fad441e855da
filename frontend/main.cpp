// Bulk Portal Invites — browser app entry point.
//
// Wires the web platform layer (platform/), the app state and actions (app/)
// and the panels (panels/) into one main loop driven by requestAnimationFrame.
// Each tick: deliver finished requests, follow canvas size / DPR, and only if
// the idle gate is open build and draw an ImGui frame.

#include "app/app.hpp"
#include "panels/offline_panel.hpp"
#include "panels/recipients_panel.hpp"
#include "panels/shell_panel.hpp"
#include "panels/style.hpp"
#include "publish_send.hpp"
#include "platform/canvas.hpp"
#include "platform/cursor.hpp"
#include "platform/download.hpp"
#include "platform/fetch.hpp"
#include "platform/gl_window.hpp"
#include "platform/idle_gate.hpp"
#include "platform/input.hpp"
#include "platform/offline_status.hpp"
#include "platform/open_tab.hpp"
#include "platform/page.hpp"
#include "platform/random_key.hpp"
#include "platform/snapshot_store.hpp"
#include "platform/ui_font.hpp"
#include "platform/ui_probe.hpp"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>  // ImGuiContext::InputEventsQueue

#include <string>

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
  unsigned frames = 0;
};

Runtime* active_runtime = nullptr;

void publish_status(const Runtime& rt) {
  using platform::page::publish;
  const platform::CanvasMetrics& m = rt.canvas.metrics();
  publish("frames", rt.frames);
  publish("dpr", m.dpr);
  publish("cssWidth", m.css_width);
  publish("cssHeight", m.css_height);
  publish("fbWidth", m.fb_width);
  publish("fbHeight", m.fb_height);
  publish("fontDpr", rt.font.built_dpr());
  publish("server", app::to_string(rt.app.state.server.status));
  publish("serverProblem", rt.app.state.server.problem.c_str());
  publish("serverChecks", rt.app.state.server.checks);
  publish("version", rt.app.state.version.c_str());
  const app::State& state = rt.app.state;
  publish("screen", app::to_string(state.screen));
  publish("user", state.session ? state.session->user.username.c_str() : "");
  publish("loginError", state.login.error.c_str());
  publish("loginNotice", state.login.notice.c_str());
  publish("lookups", app::to_string(state.lookups.status));
  publish("emailFrom", state.form.email_from.c_str());
  publish("preview", app::to_string(state.preview.status));
  publish("previewStale", app::preview_stale(state) ? 1.0 : 0.0);
  publish("previewError", state.preview.error_message.c_str());
  // The counts on screen (-1 before the first Load), for browser tests to compare with the API.
  const app::PreviewCounts& counts = state.preview.counts;
  const auto shown = [&](std::uint64_t value) { return state.preview.has_result ? static_cast<double>(value) : -1.0; };
  publish("countNewUsers", shown(counts.new_users));
  publish("countPendingInvites", shown(counts.pending_invites));
  publish("countSkippedInvalidEmail", shown(counts.skipped_invalid_email));
  publish("countExcludedExisting", shown(counts.excluded_existing));
  publish("countSkippedSuppressed", shown(counts.skipped_suppressed));
  publish("selectedGroup", state.selected_group ? std::string(group_name(*state.selected_group)).c_str() : "");
  // The recipient list: total -1 until known, the rows that have arrived, the query in effect.
  const app::RecipientTable& rec = state.recipients;
  publish("recipientsOpen", rec.open ? 1.0 : 0.0);
  publish("recipientsGroup", rec.open ? app::group_param(rec.group) : "");
  publish("recipientsStatus", app::to_string(rec.status));
  publish("recipientsTotal", rec.open && rec.has_total ? static_cast<double>(rec.total) : -1.0);
  publish("recipientsLoadedRows", static_cast<double>(rec.blocks.loaded_rows()));
  publish("recipientsQuery", rec.query.c_str());
  publish("recipientsSort", app::column_param(rec.sort));
  publish("recipientsOrder", rec.descending ? "desc" : "asc");
  publish("recipientsError", rec.error.c_str());
  invites::publish_send_status(state);
  platform::publish_offline_status(state);
}

void tick() {
  Runtime& rt = *active_runtime;
  platform::fetch_dispatch();  // results change app state and wake the gate
  platform::WebSnapshotPlatform::dispatch();
  if (rt.app.offline.tick()) platform::idle::wake();             // local answers, sync, estimate
  rt.app.actions.sending().tick(emscripten_get_now() / 1000.0);  // job polling (only while a job runs)
  if (rt.canvas.refresh()) platform::idle::wake();
  if (!rt.font.settled()) return;  // "Loading…" stays up until the font is here
  if (rt.font.build_for(rt.canvas.metrics().dpr)) {
    rt.fonts = panels::Fonts{rt.font.body(), rt.font.title()};
    platform::idle::wake();
  }
  if (!platform::idle::should_draw()) return;

  rt.window.begin_frame(rt.canvas.metrics());
  panels::draw_shell_panel(rt.app.state, rt.app.actions, rt.fonts);
  rt.window.end_frame(rt.canvas.metrics());

  platform::ui_probe::frame_end();
  platform::apply_cursor(canvas_selector, ImGui::GetMouseCursor());
  platform::idle::frame_drawn();
  // ImGui trickles input over frames (a key's press and release, or a click
  // and the text typed after it, never share one), so fast typing on a slow
  // machine leaves events queued: draw until they are all processed, not
  // only until the idle gate's settle time after the last event.
  if (ImGui::GetCurrentContext()->InputEventsQueue.Size > 0) platform::idle::request_frames(1);
  if (panels::recipients_search_pending()) platform::idle::request_frames(1);  // the search debounce
  ++rt.frames;
  publish_status(rt);
  if (rt.frames == 1) platform::page::publish_ready();
}

}  // namespace

int main() {
  static Runtime runtime;
  active_runtime = &runtime;

  if (!runtime.window.create()) {
    platform::page::show_fatal("This browser cannot run the app: WebGL 2 is not available.");
    return 1;
  }
  panels::apply_style();
  runtime.canvas.install_listeners();
  platform::install_input(runtime.window.handle(), runtime.canvas);
  platform::ui_probe::install();

  runtime.app.actions.sending().set_html_opener(platform::open_html_tab);
  runtime.app.actions.sending().set_key_source(platform::random_key);
  runtime.font.load(font_url);
  panels::set_offline_controller(&runtime.app.offline);
  runtime.app.offline.set_wake([] { platform::idle::wake(); });
  runtime.app.actions.start();  // /healthz and GET /api/me (restores a session)

  emscripten_set_main_loop(tick, 0, false);
  return 0;
}
