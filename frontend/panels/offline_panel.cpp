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

std::string result_as_of_label(const app::State& state) {
  if (app::preview_is_offline(state)) return "Offline preview \u2014 data as of " + app::data_as_of(state.preview);
  return "Data as of " + app::data_as_of(state.preview);
}

void draw_offline_bar(const app::State& state, app::Actions& actions) {
  const app::OfflineState& o = state.offline;
  if (!state.session || !state.session->has(app::permission_send_invites)) return;
  ImGui::PushID("offline");
  if (o.offline) {
    ImGui::AlignTextToFramePadding();
    status_dot(Tone::warning);
    ImGui::SameLine();
    std::string text =
        "Offline preview \u2014 data as of " +
        (o.have_snapshot ? invites::readable_utc(o.data_as_of) : std::string("(no copy in this browser)"));
    ImGui::TextUnformatted(text.c_str());
    if (o.chosen) {
      ImGui::SameLine();
      if (ImGui::SmallButton("Back online")) actions.preview_offline(false);
    }
    tone_text(Tone::warning, std::string(app::offline_send_reason) + " " + o.reason +
                                 (o.chosen ? "" : " The app checks every few seconds whether it is back."));
  } else {
    ImGui::AlignTextToFramePadding();
    status_dot(o.have_snapshot ? Tone::good : Tone::neutral);
    ImGui::SameLine();
    std::string text;
    switch (o.sync) {
      case app::SyncStatus::opening:
        text = "Opening the offline copy\u2026";
        break;
      case app::SyncStatus::decoding:
        text = "Reading the offline copy\u2026";
        break;
      case app::SyncStatus::downloading:
        text = "Downloading the offline copy\u2026";
        break;
      default:
        text = o.have_snapshot ? "Offline copy: data as of " + invites::readable_utc(o.data_as_of) + " (" +
                                     grouped_number(o.contacts) + " contacts)"
                               : "No offline copy in this browser yet.";
    }
    ImGui::TextDisabled("%s", text.c_str());
    if (o.sync == app::SyncStatus::downloading) {
      ImGui::SameLine();
      const float fraction =
          o.total > 0 ? static_cast<float>(static_cast<double>(o.received) / static_cast<double>(o.total)) : -1.0f;
      const std::string overlay = megabytes(o.received) + (o.total > 0 ? " of " + megabytes(o.total) : std::string());
      ImGui::ProgressBar(fraction < 0 ? 0.0f : fraction, ImVec2(220, 0), overlay.c_str());
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(o.sync == app::SyncStatus::downloading || o.sync == app::SyncStatus::decoding ||
                         o.sync == app::SyncStatus::opening);
    if (ImGui::SmallButton("Refresh offline copy")) actions.refresh_offline_copy();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!o.have_snapshot);
    if (ImGui::SmallButton("Preview offline")) actions.preview_offline(true);
    ImGui::EndDisabled();
  }
  if (!o.notice.empty()) tone_text(o.notice == app::server_back_notice ? Tone::good : Tone::warning, o.notice);
  if (!o.sync_error.empty()) tone_text(Tone::bad, o.sync_error);
  ImGui::PopID();
  ImGui::Spacing();
}

void draw_offline_estimate(const app::State& state) {
  const app::OfflineState& o = state.offline;
  if (!o.has_estimate) return;
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(
      "Estimate for the filters on screen, from the offline copy (data as of %s): new users %s, "
      "pending invites %s, skipped %s, excluded %s, bounced or complained %s. Only Load gives the counts Send "
      "uses.",
      invites::readable_utc(o.data_as_of).c_str(), grouped_number(o.estimate.new_users).c_str(),
      grouped_number(o.estimate.pending_invites).c_str(), grouped_number(o.estimate.skipped_invalid_email).c_str(),
      grouped_number(o.estimate.excluded_existing).c_str(), grouped_number(o.estimate.skipped_suppressed).c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
}

}  // namespace invites::panels
