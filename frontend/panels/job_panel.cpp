#include "panels/job_panel.hpp"

#include "panels/widgets.hpp"

#include <imgui.h>
#include <invites/utc_time.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

namespace invites::panels {
namespace {

constexpr const char* cancel_popup_id = "Cancel this job?";

std::string groups_text(const std::vector<Group>& groups) {
  std::string out;
  for (const Group g : groups) {
    if (!out.empty()) out += ", ";
    out += g == Group::new_users ? "new users" : g == Group::pending_invites ? "pending invites" : "excluded";
  }
  return out.empty() ? "\u2014" : out;
}

// One figure: caption above, value below.
void stat(const char* caption, const std::string& value, Tone tone = Tone::neutral) {
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", caption);
  if (tone == Tone::neutral)
    ImGui::TextUnformatted(value.c_str());
  else
    tone_text(tone, value);
}

void cancel_popup(app::Actions& actions) {
  if (!ImGui::BeginPopupModal(cancel_popup_id, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted("Recipients not mailed yet will not get the invitation.");
  ImGui::TextUnformatted("Messages already sent stay sent.");
  ImGui::Spacing();
  if (ImGui::Button("Cancel the job", ImVec2(160, 0))) {
    actions.sending().cancel_job();
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Keep sending", ImVec2(140, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
    ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

std::string percent(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f %%", rate * 100.0);
  return text;
}

// What came back after sending (SPEC §11): delivered, bounced, complained,
// and the rates beside the thresholds mail providers act on.
void outcomes_line(const app::JobView& view, app::Actions& actions) {
  if (!view.outcomes) return;
  const app::JobOutcomes& o = *view.outcomes;
  ImGui::Spacing();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Delivery outcomes");
  ImGui::SameLine();
  if (ImGui::SmallButton("Refresh outcomes")) actions.sending().refresh_job();
  if (ImGui::BeginTable("##job-outcomes", 5, ImGuiTableFlags_SizingStretchSame)) {
    stat("Delivered", grouped_number(o.delivered), o.delivered ? Tone::good : Tone::neutral);
    stat("Hard bounces", grouped_number(o.bounced_hard), o.bounced_hard ? Tone::bad : Tone::neutral);
    stat("Soft bounces", grouped_number(o.bounced_soft), o.bounced_soft ? Tone::warning : Tone::neutral);
    stat("Complaints", grouped_number(o.complained), o.complained ? Tone::bad : Tone::neutral);
    stat("Bounce rate", percent(o.bounce_rate), o.bounce_rate >= o.bounce_rate_review ? Tone::bad : Tone::neutral);
    ImGui::EndTable();
  }
  const Tone complaint_tone = o.complaint_rate >= o.complaint_rate_limit    ? Tone::bad
                              : o.complaint_rate >= o.complaint_rate_review ? Tone::warning
                                                                            : Tone::neutral;
  const std::string rates = "Complaint rate " + percent(o.complaint_rate) + " (providers review senders from " +
                            percent(o.complaint_rate_review) + " and block from " + percent(o.complaint_rate_limit) +
                            "); bounce rate " + percent(o.bounce_rate) + " (review from " +
                            percent(o.bounce_rate_review) + ").";
  if (complaint_tone == Tone::neutral && o.bounce_rate < o.bounce_rate_review) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", rates.c_str());
    ImGui::PopTextWrapPos();
  } else {
    tone_text(complaint_tone == Tone::neutral ? Tone::bad : complaint_tone, rates);
  }
}

// The list chooser: failed, bounced or complained recipients.
void list_choice(const app::JobView& view, app::Actions& actions) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Show");
  for (const auto& [list, caption] : {std::pair{app::JobRecipientList::failed, "Failed recipients"},
                                      std::pair{app::JobRecipientList::bounced, "Bounced recipients"},
                                      std::pair{app::JobRecipientList::complained, "Complaints"}}) {
    ImGui::SameLine();
    if (ImGui::RadioButton(caption, view.list == list)) actions.sending().show_job_list(list);
  }
}

// Every recipient of the chosen list: a virtualized table over the whole
// list, its rows read in blocks as they scroll into view.
void failed_table(const app::JobView& view, app::Actions& actions) {
  const app::Job& job = *view.job;
  ImGui::Spacing();
  list_choice(view, actions);
  ImGui::AlignTextToFramePadding();
  // The list's own total once it answered (it is what the table scrolls through).
  const std::uint64_t total = view.failed_status == app::LoadStatus::loaded ? view.failed_total
                              : view.list == app::JobRecipientList::failed  ? job.failed
                                                                            : 0;
  ImGui::Text("%s (%s)",
              view.list == app::JobRecipientList::failed    ? "Failed recipients"
              : view.list == app::JobRecipientList::bounced ? "Bounced recipients"
                                                            : "Recipients who complained",
              grouped_number(total).c_str());
  if (view.failed_status == app::LoadStatus::loading) {
    ImGui::SameLine();
    ImGui::TextDisabled("loading\u2026");
  }
  if (view.failed_status == app::LoadStatus::failed) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Reload list")) actions.sending().reload_failed_rows();
  }
  if (view.failed_total == 0) return;
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  const float height = std::min(row_h * (static_cast<float>(view.failed_total) + 1.5f), row_h * 12);
  if (!begin_list_table(
          "##failed-rows",
          {{"Email", 1.6f},
           {"Group", 0.8f},
           {"Attempts", 0.5f},
           {view.list == app::JobRecipientList::failed ? "Server reply" : "Outcome and diagnostic", 3.0f}},
          height))
    return;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(view.failed_total));
  while (clipper.Step()) {
    if (clipper.DisplayEnd > clipper.DisplayStart)
      actions.sending().need_failed_rows(static_cast<std::size_t>(clipper.DisplayStart),
                                         static_cast<std::size_t>(clipper.DisplayEnd - 1));
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const app::JobRecipient* row = view.failed_rows.row(static_cast<std::size_t>(i));
      if (!row) {
        ImGui::TextDisabled("Loading\u2026");
        continue;
      }
      ImGui::TextUnformatted(row->email.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row->group == Group::new_users         ? "new user"
                             : row->group == Group::pending_invites ? "pending"
                                                                    : "\u2014");
      ImGui::TableNextColumn();
      ImGui::Text("%d", row->attempts);
      ImGui::TableNextColumn();
      // A later bounce or complaint says more than the send's reply.
      const std::string said =
          row->outcome.empty() ? row->last_error
                               : std::string(app::outcome_kind_caption(row->outcome)) + ": " + row->outcome_diagnostic;
      ImGui::TextUnformatted(said.c_str());
      if (ImGui::IsItemHovered() && !said.empty()) ImGui::SetTooltip("%s", said.c_str());
    }
  }
  ImGui::EndTable();
}

}  // namespace

const char* job_status_caption(std::optional<JobStatus> status) {
  if (!status) return "Unknown";
  switch (*status) {
    case JobStatus::queued:
      return "Queued";
    case JobStatus::running:
      return "Sending";
    case JobStatus::paused:
      return "Paused";
    case JobStatus::cancelled:
      return "Cancelled";
    case JobStatus::completed:
      return "Completed";
  }
  return "Unknown";
}

Tone job_status_tone(std::optional<JobStatus> status) {
  if (!status) return Tone::neutral;
  switch (*status) {
    case JobStatus::queued:
    case JobStatus::running:
      return Tone::info;
    case JobStatus::paused:
      return Tone::warning;
    case JobStatus::completed:
      return Tone::good;
    case JobStatus::cancelled:
      return Tone::bad;
  }
  return Tone::neutral;
}

void draw_job_panel(const app::State& state, app::Actions& actions, const Fonts& fonts) {
  const app::JobView& view = state.send.job;
  begin_card("##job", ImVec2(0, 0), CardHeight::fit_content);

  // Title: job number and template, status badge, Close.
  ImGui::AlignTextToFramePadding();
  if (fonts.title) ImGui::PushFont(fonts.title);
  if (view.job && !view.job->template_name.empty())
    ImGui::Text("Job #%lld \u2014 %s", static_cast<long long>(view.job_id), view.job->template_name.c_str());
  else
    ImGui::Text("Job #%lld", static_cast<long long>(view.job_id));
  if (fonts.title) ImGui::PopFont();
  if (view.job) {
    ImGui::SameLine(0, 16);
    ImGui::AlignTextToFramePadding();
    status_dot(job_status_tone(view.job->status));
    ImGui::TextUnformatted(job_status_caption(view.job->status));
  }
  if (right_aligned_button("Close##job")) {
    actions.sending().close_job();
    end_card();
    return;
  }
  ImGui::Separator();

  if (!view.job) {
    if (view.status == app::LoadStatus::failed)
      tone_text(Tone::bad, "The job could not be read: " + view.error);
    else
      ImGui::TextDisabled("Reading the job\u2026");
    end_card();
    return;
  }
  const app::Job& job = *view.job;
  ImGui::TextDisabled("From %s  \u00b7  to %s  \u00b7  started by %s, %s", job.from_email.c_str(),
                      groups_text(job.groups).c_str(), job.created_by.c_str(), short_utc(job.created_at).c_str());
  if (job.status == JobStatus::paused && !job.pause_reason.empty())
    tone_text(Tone::warning, "Paused: " + job.pause_reason);
  ImGui::Spacing();

  // Progress: done = sent + failed, of the total.
  const std::uint64_t done = job.sent + job.failed;
  const float fraction =
      job.total ? static_cast<float>(static_cast<double>(done) / static_cast<double>(job.total)) : 1.0f;
  char overlay[96];
  const int percent = std::min(100, static_cast<int>(fraction * 100.0f));  // 100 % only when all are done
  std::snprintf(overlay, sizeof overlay, "%s of %s done  (%d%%)", grouped_number(done).c_str(),
                grouped_number(job.total).c_str(), percent);
  ImGui::TextUnformatted(overlay);
  const Tone bar = job.status == JobStatus::completed   ? Tone::good
                   : job.status == JobStatus::paused    ? Tone::warning
                   : job.failed > 0 && job.sent == 0    ? Tone::bad
                   : job.status == JobStatus::cancelled ? Tone::neutral
                                                        : Tone::link;
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, bar == Tone::neutral ? ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled)
                                                                     : ImGui::ColorConvertU32ToFloat4(tone_color(bar)));
  ImGui::ProgressBar(fraction, ImVec2(-1, ImGui::GetFontSize() * 0.9f), "");
  ImGui::PopStyleColor();
  ImGui::Spacing();

  if (ImGui::BeginTable("##job-stats", 5, ImGuiTableFlags_SizingStretchSame)) {
    stat("Sent", grouped_number(job.sent), job.sent ? Tone::good : Tone::neutral);
    stat("Failed", grouped_number(job.failed), job.failed ? Tone::bad : Tone::neutral);
    stat("Remaining", grouped_number(job.pending));
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f / s", job.rate_per_second);
    stat("Rate", app::job_active(job) || job.status == JobStatus::paused ? rate : "\u2014");
    stat("Time left", app::job_active(job) && job.eta_seconds ? app::format_duration(*job.eta_seconds)
                      : app::job_active(job)                  ? "estimating\u2026"
                                                              : "\u2014");
    ImGui::EndTable();
  }
  if (!job.finished_at.empty()) ImGui::TextDisabled("Finished %s", short_utc(job.finished_at).c_str());
  ImGui::Spacing();

  // Commands.
  const bool busy = !view.command.empty();
  const bool finished = job.status && is_finished(*job.status);
  ImGui::BeginDisabled(busy);
  if (job.status == JobStatus::paused) {
    if (ImGui::Button("Resume", ImVec2(110, 0))) actions.sending().resume_job();
  } else {
    ImGui::BeginDisabled(finished);
    if (ImGui::Button("Pause", ImVec2(110, 0))) actions.sending().pause_job();
    ImGui::EndDisabled();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(finished);
  if (ImGui::Button("Cancel job", ImVec2(110, 0))) ImGui::OpenPopup(cancel_popup_id);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(job.failed == 0 || job.status == JobStatus::cancelled);
  if (ImGui::Button("Retry failed", ImVec2(130, 0))) actions.sending().retry_failed();
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  if (busy) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Asking the server (%s)\u2026", view.command.c_str());
  }
  cancel_popup(actions);
  if (!view.error.empty()) tone_text(Tone::bad, view.error);

  outcomes_line(view, actions);
  const bool has_outcomes =
      view.outcomes && (view.outcomes->bounced_hard + view.outcomes->bounced_soft + view.outcomes->complained) > 0;
  if (job.failed > 0 || has_outcomes) failed_table(view, actions);
  end_card();
}

}  // namespace invites::panels
