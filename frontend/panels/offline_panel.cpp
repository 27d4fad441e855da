#include "panels/offline_panel.hpp"

#include "app/offline.hpp"
#include "panels/widgets.hpp"

#include <imgui.h>
#include <invites/utc_time.hpp>

#include <cstdio>
#include <string>

namespace invites::panels {
namespace {

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

}  // namespace

void draw_result_as_of(const app::State& state) {
  // data_as_of() reads "2026-11-26 12:30:00 UTC": the same instant in ISO 8601 for the local time.
  std::string iso = app::data_as_of(state.preview);
  if (iso.size() == 23 && iso.ends_with(" UTC")) {
    iso[10] = 'T';
    iso.replace(19, 4, "Z");
  }
  time_text(app::preview_is_offline(state) ? "Offline preview \u2014 data as of " : "Data as of ", iso);
}

void draw_offline_bar(const app::State& state, app::Actions& actions) {
  const app::OfflineState& o = state.offline;
  if (!state.session || !state.session->has(app::permission_send_invites)) return;
  ImGui::PushID("offline");
  if (o.offline) {
    ImGui::AlignTextToFramePadding();
    status_dot(Tone::warning);
    ImGui::SameLine();
    if (o.have_snapshot)
      time_text("Offline preview \u2014 data as of ", invites::iso8601_utc(o.data_as_of));
    else
      text("Offline preview \u2014 data as of (no copy in this browser)");
    if (o.chosen) {
      ImGui::SameLine();
      if (small_button("Back online")) actions.preview_offline(false);
    }
    announced_text(Tone::warning,
                   std::string(app::offline_send_reason) + " " + o.reason +
                       (o.chosen ? "" : " The app checks every few seconds whether it is back."),
                   "offline");
  } else {
    ImGui::AlignTextToFramePadding();
    status_dot(o.have_snapshot ? Tone::good : Tone::neutral);
    ImGui::SameLine();
    switch (o.sync) {
      case app::SyncStatus::opening:
        muted_text("Opening the offline copy\u2026");
        break;
      case app::SyncStatus::decoding:
        muted_text("Reading the offline copy\u2026");
        break;
      case app::SyncStatus::downloading:
        muted_text("Downloading the offline copy\u2026");
        break;
      default:
        if (o.have_snapshot) {
          time_text("Offline copy: data as of ", invites::iso8601_utc(o.data_as_of));
          const std::string contacts = "(" + grouped_number(o.contacts) + " contacts)";
          same_line_if_fits(ImGui::CalcTextSize(contacts.c_str()).x);
          muted_text(contacts);
        } else {
          muted_text("No offline copy in this browser yet.");
        }
    }
    if (o.sync == app::SyncStatus::downloading) {
      ImGui::SameLine();
      const float fraction =
          o.total > 0 ? static_cast<float>(static_cast<double>(o.received) / static_cast<double>(o.total)) : -1.0f;
      const std::string overlay = megabytes(o.received) + (o.total > 0 ? " of " + megabytes(o.total) : std::string());
      progress_bar(fraction < 0 ? 0.0f : fraction, ImVec2(220, 0), overlay.c_str(), "Offline copy download",
                   static_cast<std::int64_t>(o.received), static_cast<std::int64_t>(o.total));
    }
    same_line_if_fits(button_width("Refresh offline copy"));
    ImGui::BeginDisabled(o.sync == app::SyncStatus::downloading || o.sync == app::SyncStatus::decoding ||
                         o.sync == app::SyncStatus::opening);
    if (small_button("Refresh offline copy")) actions.refresh_offline_copy();
    ImGui::EndDisabled();
    same_line_if_fits(button_width("Preview offline"));
    ImGui::BeginDisabled(!o.have_snapshot);
    if (small_button("Preview offline")) actions.preview_offline(true);
    ImGui::EndDisabled();
  }
  if (!o.notice.empty())
    announced_text(o.notice == app::server_back_notice ? Tone::good : Tone::warning, o.notice, "offline-notice");
  if (!o.sync_error.empty()) announced_text(Tone::bad, o.sync_error, "offline-sync-error");
  ImGui::PopID();
  ImGui::Spacing();
}

void draw_offline_estimate(const app::State& state) {
  const app::OfflineState& o = state.offline;
  if (!o.has_estimate) return;
  wrapped_muted_text("Estimate for the filters on screen, from the offline copy (data as of " +
                     local_time(invites::iso8601_utc(o.data_as_of)) + "): new users " +
                     grouped_number(o.estimate.new_users) + ", pending invites " +
                     grouped_number(o.estimate.pending_invites) + ", skipped " +
                     grouped_number(o.estimate.skipped_invalid_email) + ", excluded " +
                     grouped_number(o.estimate.excluded_existing) + ", bounced or complained " +
                     grouped_number(o.estimate.skipped_suppressed) + ". Only Load gives the counts Send uses.");
  ImGui::Spacing();
}

}  // namespace invites::panels
