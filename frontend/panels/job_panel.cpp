#include "panels/job_panel.hpp"

#include "panels/widgets.hpp"

#include <imgui.h>
#include <invites/enum_names.hpp>
#include <invites/csv.hpp>
#include <invites/recipients.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

namespace invites::panels {
namespace {

constexpr const char* cancel_popup_id = "Cancel this job?";

RowSelection selection;  // failed rows Ctrl+C copies

std::string groups_text(const std::vector<Group>& groups) {
  std::string out;
  for (const Group g : groups) {
    if (!out.empty()) out += ", ";
    out += g == Group::new_users ? "new users" : g == Group::pending_invites ? "pending invites" : "excluded";
  }
  return out.empty() ? "\u2014" : out;
}

const char* group_short(std::optional<Group> group) {
  return group == Group::new_users ? "new user" : group == Group::pending_invites ? "pending" : "\u2014";
}

// One figure: caption above, value below.
void stat(const char* caption, const std::string& value, Tone tone = Tone::neutral) {
  ImGui::TableNextColumn();
  muted_text(caption);
  if (tone == Tone::neutral)
    text(value);
  else
    tone_text(tone, value);
}

void cancel_popup(app::Actions& actions) {
  if (!begin_dialog(cancel_popup_id, ImGuiWindowFlags_AlwaysAutoResize)) return;
  text("Recipients not mailed yet will not get the invitation.");
  text("Messages already sent stay sent.");
  ImGui::Spacing();
  if (button("Cancel the job", ImVec2(160, 0))) {
    actions.sending().cancel_job();
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (button("Keep sending", ImVec2(140, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape, false)) ImGui::CloseCurrentPopup();
  end_dialog();
}

// A later bounce or complaint says more than the send's reply.
std::string reply_text(const app::JobRecipient& row) {
  return row.outcome.empty() ? row.last_error
                             : std::string(app::outcome_kind_caption(row.outcome)) + ": " + row.outcome_diagnostic;
}

// The selected failed rows that have arrived, tab-separated (Ctrl+C).
std::string selected_rows_text(const app::JobView& view) {
  std::string out;
  for (std::int64_t i = selection.first(); i >= 0 && i <= selection.last(); ++i) {
    const app::JobRecipient* row = view.failed_rows.row(static_cast<std::size_t>(i));
    if (row)
      append_tsv_row(out, {row->email, row->group ? std::string(group_name(*row->group)) : std::string(),
                           std::to_string(row->attempts), reply_text(*row)});
  }
  return out;
}

std::string percent(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f %%", rate * 100.0);
  return text;
}

// What came back after sending (docs/design.md §11): delivered, bounced, complained,
// and the rates beside the thresholds mail providers act on.
void outcomes_line(const app::JobView& view, app::Actions& actions) {
  if (!view.outcomes) return;
  const app::JobOutcomes& o = *view.outcomes;
  ImGui::Spacing();
  ImGui::AlignTextToFramePadding();
  heading("Delivery outcomes", nullptr, 3);
  ImGui::SameLine();
  if (small_button("Refresh outcomes")) actions.sending().refresh_job();
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
  if (complaint_tone == Tone::neutral && o.bounce_rate < o.bounce_rate_review)
    wrapped_muted_text(rates);
  else
    tone_text(complaint_tone == Tone::neutral ? Tone::bad : complaint_tone, rates);
}

const char* list_title(app::JobRecipientList list) {
  return list == app::JobRecipientList::failed    ? "Failed recipients"
         : list == app::JobRecipientList::bounced ? "Bounced recipients"
                                                  : "Recipients who complained";
}

// The list chooser: failed, bounced or complained recipients (a combo box
// named "Show", one option per list).
void list_choice(const app::JobView& view, app::Actions& actions) {
  // SameLine's offset counts from the window's edge, not from the card's indent.
  form_label("Show", ImGui::GetCursorPosX() + ImGui::CalcTextSize("Show").x + ImGui::GetStyle().ItemSpacing.x);
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("Recipients who complained").x + ImGui::GetFrameHeight() * 2);
  if (!begin_combo("##job-list", list_title(view.list))) return;
  for (const app::JobRecipientList list :
       {app::JobRecipientList::failed, app::JobRecipientList::bounced, app::JobRecipientList::complained})
    if (selectable(list_title(list), view.list == list, 0, semantics::Role::option))
      actions.sending().show_job_list(list);
  end_combo();
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
  const char* name = list_title(view.list);
  heading(std::string(name) + " (" + grouped_number(total) + ")", nullptr, 3);
  if (view.failed_status == app::LoadStatus::loading) {
    ImGui::SameLine();
    muted_text("loading\u2026");
  }
  if (view.failed_status == app::LoadStatus::failed) {
    ImGui::SameLine();
    if (small_button("Reload list")) actions.sending().reload_failed_rows();
  }
  if (view.failed_total == 0) return;
  constexpr ImGuiTableFlags table_flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                          ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable |
                                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  const float height = std::min(row_h * (static_cast<float>(view.failed_total) + 1.5f), row_h * 12);
  if (!begin_grid("##failed-rows", 5, table_flags, ImVec2(0, height), name,
                  static_cast<std::int64_t>(view.failed_total)))
    return;
  const char* said_header = view.list == app::JobRecipientList::failed ? "Server reply" : "Outcome and diagnostic";
  grid_columns({{"Email", 1.6f},
                {"Group", 0.8f},
                {"Attempts", 0.5f},
                {said_header, 3.0f},
                {"Copy", 0, ImGui::CalcTextSize("Copy").x + ImGui::GetStyle().FramePadding.x * 2}});
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(view.failed_total));
  while (clipper.Step()) {
    if (clipper.DisplayEnd > clipper.DisplayStart)
      actions.sending().need_failed_rows(static_cast<std::size_t>(clipper.DisplayStart),
                                         static_cast<std::size_t>(clipper.DisplayEnd - 1));
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      grid_row(i, selection.contains(i));
      const app::JobRecipient* row = view.failed_rows.row(static_cast<std::size_t>(i));
      if (!row) {
        grid_muted_cell("Loading\u2026");
        continue;
      }
      selection.highlight(i);
      grid_cell(row->email);
      grid_cell(group_short(row->group));
      grid_cell(std::to_string(row->attempts));
      const std::string said = reply_text(*row);
      grid_cell(said);
      if (ImGui::IsItemHovered() && !said.empty()) ImGui::SetTooltip("%s", said.c_str());
      grid_control_cell();
      ImGui::PushID(i);
      if (small_button("Copy", "Copy address " + row->email)) ImGui::SetClipboardText(row->email.c_str());
      selection.row_drawn(i, item_has_focus());
      ImGui::PopID();
    }
  }
  const semantics::Key grid = current_grid();
  end_grid();
  if (copy_requested_in(grid)) ImGui::SetClipboardText(selected_rows_text(view).c_str());
}

// The skipped recipients with the reason each was not mailed (another job
// invited the address moments ago, the account changed since Load).
void skipped_table(const app::JobView& view) {
  if (view.skipped_rows.empty()) return;
  ImGui::Spacing();
  heading("Skipped recipients (" + grouped_number(view.skipped_total) + ")", nullptr, 3);
  if (view.skipped_total > view.skipped_rows.size())
    muted_text("The first " + grouped_number(view.skipped_rows.size()) + " are listed.");
  constexpr ImGuiTableFlags table_flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                          ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable |
                                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  const auto rows = static_cast<float>(view.skipped_rows.size());
  if (!begin_grid("##skipped-rows", 3, table_flags, ImVec2(0, std::min(row_h * (rows + 1.5f), row_h * 8)),
                  "Skipped recipients", static_cast<std::int64_t>(view.skipped_rows.size())))
    return;
  grid_columns({{"Email", 1.6f}, {"Group", 0.8f}, {"Reason", 3.0f}});
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(view.skipped_rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const app::JobRecipient& row = view.skipped_rows[static_cast<std::size_t>(i)];
      grid_row(i);
      grid_cell(row.email);
      grid_cell(group_short(row.group));
      grid_cell(row.last_error);
    }
  }
  end_grid();
}

}  // namespace

const char* job_status_caption(std::optional<JobStatus> status) {
  // Indexed by JobStatus.
  static constexpr std::array<const char*, 5> captions{"Queued", "Sending", "Paused", "Cancelled", "Completed"};
  static_assert(detail::all_named(captions));
  return status ? detail::name_in(captions, *status) : "Unknown";
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
  std::string title = "Job #" + std::to_string(view.job_id);
  if (view.job && !view.job->template_name.empty()) title += " \u2014 " + view.job->template_name;
  begin_card("##job", ImVec2(0, 0), CardHeight::fit_content, title);

  // Title: job number and template, status badge, Close.
  ImGui::AlignTextToFramePadding();
  heading(title, fonts.title);
  if (view.job) {
    ImGui::SameLine(0, 16);
    ImGui::AlignTextToFramePadding();
    status_dot(job_status_tone(view.job->status));
    text(job_status_caption(view.job->status));
  }
  if (right_aligned_button("Close##job")) {
    actions.sending().close_job();
    end_card();
    return;
  }
  ImGui::Separator();

  if (!view.job) {
    if (view.status == app::LoadStatus::failed)
      announced_text(Tone::bad, "The job could not be read: " + view.error, "job-read");
    else
      muted_text("Reading the job\u2026");
    end_card();
    return;
  }
  const app::Job& job = *view.job;
  wrapped_muted_text("From " + job.from_email + "  \u00b7  to " + groups_text(job.groups) + "  \u00b7  started by " +
                     job.created_by);
  time_text("Started ", job.created_at);
  if (job.status == JobStatus::paused && !job.pause_reason.empty())
    announced_text(Tone::warning, "Paused: " + job.pause_reason, "job-paused");
  ImGui::Spacing();

  // Progress: done = sent + failed, of the total.
  const std::uint64_t done = job.sent + job.failed;
  const float fraction =
      job.total ? static_cast<float>(static_cast<double>(done) / static_cast<double>(job.total)) : 1.0f;
  char overlay[96];
  const int percent = std::min(100, static_cast<int>(fraction * 100.0f));  // 100 % only when all are done
  std::snprintf(overlay, sizeof overlay, "%s of %s done  (%d%%)", grouped_number(done).c_str(),
                grouped_number(job.total).c_str(), percent);
  text(overlay);
  const Tone bar = job.status == JobStatus::completed   ? Tone::good
                   : job.status == JobStatus::paused    ? Tone::warning
                   : job.failed > 0 && job.sent == 0    ? Tone::bad
                   : job.status == JobStatus::cancelled ? Tone::neutral
                                                        : Tone::link;
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, bar == Tone::neutral ? ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled)
                                                                     : ImGui::ColorConvertU32ToFloat4(tone_color(bar)));
  progress_bar(fraction, ImVec2(-1, ImGui::GetFontSize() * 0.9f), "", "Job progress", static_cast<std::int64_t>(done),
               static_cast<std::int64_t>(job.total));
  ImGui::PopStyleColor();
  // Job state changes are said once each: "Job #12: Completed, 100 sent, 0 failed."
  announce("job-state", title + ": " + job_status_caption(job.status) +
                            (app::job_active(job) ? "."
                                                  : ", " + grouped_number(job.sent) + " sent, " +
                                                        grouped_number(job.failed) + " failed."));
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
  if (!job.finished_at.empty()) time_text("Finished ", job.finished_at);
  ImGui::Spacing();

  // Commands.
  const bool busy = !view.command.empty();
  const bool finished = job.status && is_finished(*job.status);
  ImGui::BeginDisabled(busy);
  if (job.status == JobStatus::paused) {
    if (button("Resume", ImVec2(110, 0))) actions.sending().resume_job();
  } else {
    ImGui::BeginDisabled(finished);
    if (button("Pause", ImVec2(110, 0))) actions.sending().pause_job();
    ImGui::EndDisabled();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(finished);
  if (button("Cancel job", ImVec2(110, 0))) ImGui::OpenPopup(cancel_popup_id);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(job.failed == 0 || job.status == JobStatus::cancelled);
  if (button("Retry failed", ImVec2(130, 0))) actions.sending().retry_failed();
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  if (busy) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted_text("Asking the server (" + view.command + ")\u2026");
  }
  cancel_popup(actions);
  if (!view.error.empty()) announced_text(Tone::bad, view.error, "job-error");

  outcomes_line(view, actions);
  const bool has_outcomes =
      view.outcomes && (view.outcomes->bounced_hard + view.outcomes->bounced_soft + view.outcomes->complained) > 0;
  if (job.failed > 0 || has_outcomes) failed_table(view, actions);
  skipped_table(view);
  end_card();
}

}  // namespace invites::panels
