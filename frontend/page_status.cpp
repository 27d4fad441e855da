#include "page_status.hpp"

#include "app/offline.hpp"
#include "platform/page.hpp"

#include <invites/utc_time.hpp>

#include <cstdint>
#include <string>

namespace invites {
namespace {

using platform::page::publish;

double flag(bool on) { return on ? 1.0 : 0.0; }
// A count, or -1 while there is none to show.
double count_or_none(bool known, std::uint64_t value) { return known ? static_cast<double>(value) : -1.0; }

double job_count(const app::Job* job, std::uint64_t app::Job::*count) {
  return job ? static_cast<double>(job->*count) : -1.0;
}

void publish_frame(const FrameStatus& frame) {
  publish("frames", frame.frames);
  publish("dpr", frame.canvas.dpr);
  publish("cssWidth", frame.canvas.css_width);
  publish("cssHeight", frame.canvas.css_height);
  publish("fbWidth", frame.canvas.fb_width);
  publish("fbHeight", frame.canvas.fb_height);
  publish("fontDpr", frame.font_dpr);
  publish("fontProblem", frame.font_problem);
  publish("cursorBlink", flag(frame.cursor_blink));
  publish("frameMs", frame.frame_ms);
  publish("uiMs", frame.ui_ms);
  publish("reconcileMs", frame.reconcile_ms);
}

void publish_session(const app::State& state) {
  publish("server", app::to_string(state.server.status));
  publish("serverProblem", state.server.problem.c_str());
  publish("serverChecks", state.server.checks);
  publish("version", state.version.c_str());
  publish("screen", app::to_string(state.screen));
  publish("user", state.session ? state.session->user.username.c_str() : "");
  publish("loginError", state.login.error.c_str());
  publish("loginNotice", state.login.notice.c_str());
}

void publish_load(const app::State& state) {
  publish("lookups", app::to_string(state.lookups.status));
  publish("emailFrom", state.form.email_from.c_str());
  publish("preview", app::to_string(state.preview.status));
  publish("previewStale", flag(app::preview_stale(state)));
  publish("previewError", state.preview.error_message.c_str());
  // The counts on screen, for browser tests to compare with the API.
  const Counts& counts = state.preview.counts;
  const bool shown = state.preview.has_result;
  publish("countNewUsers", count_or_none(shown, counts.new_users));
  publish("countPendingInvites", count_or_none(shown, counts.pending_invites));
  publish("countSkippedInvalidEmail", count_or_none(shown, counts.skipped_invalid_email));
  publish("countExcludedExisting", count_or_none(shown, counts.excluded_existing));
  publish("countSkippedSuppressed", count_or_none(shown, counts.skipped_suppressed));
  publish("selectedGroup", state.selected_group ? std::string(group_name(*state.selected_group)).c_str() : "");
}

// The recipient list: the total once known, the rows that have arrived, the query in effect.
void publish_recipients(const app::RecipientTable& rec) {
  publish("recipientsOpen", flag(rec.open));
  publish("recipientsGroup", rec.open ? std::string(count_group_name(rec.group)).c_str() : "");
  publish("recipientsStatus", app::to_string(rec.status));
  publish("recipientsTotal", count_or_none(rec.open && rec.has_total, rec.total));
  publish("recipientsLoadedRows", static_cast<double>(rec.blocks.loaded_rows()));
  publish("recipientsQuery", rec.query.c_str());
  publish("recipientsSort", std::string(sort_column_name(rec.sort)).c_str());
  publish("recipientsOrder", rec.descending ? "desc" : "asc");
  publish("recipientsError", rec.error.c_str());
}

void publish_sending(const app::State& state) {
  const app::SendState& send = state.send;
  publish("tab", app::to_string(send.tab));
  // Email preview and test send.
  publish("emailPreview", send.email.open ? app::to_string(send.email.status) : "closed");
  publish("emailPreviewError", send.email.error.c_str());
  publish("emailSubject", send.email.subject.c_str());
  publish("emailText", send.email.text_body.c_str());
  publish("emailRecipient", send.email.recipient ? send.email.recipient->email.c_str() : "");
  publish("testSend", app::to_string(send.email.test_status));
  publish("testSendMessage", send.email.test_message.c_str());
  // Send.
  publish("sendEnabled", flag(app::can_send(state)));
  publish("sendDialog", flag(send.confirm.open));
  publish("sendError", send.confirm.error.c_str());
  publish("sendNotice", send.notice.c_str());
  // The job view (-1 while no job is shown) and the list.
  const app::Job* job = send.job.open && send.job.job ? &*send.job.job : nullptr;
  publish("jobId", send.job.open ? static_cast<double>(send.job.job_id) : -1.0);
  publish("jobStatus", !job ? "" : job->status ? std::string(job_status_name(*job->status)).c_str() : "unknown");
  publish("jobTotal", job_count(job, &app::Job::total));
  publish("jobSent", job_count(job, &app::Job::sent));
  publish("jobFailed", job_count(job, &app::Job::failed));
  publish("jobPending", job_count(job, &app::Job::pending));
  // The failed table: its total once the list answered, and the rows read so far.
  const bool failed_known = job != nullptr && send.job.failed_status == app::LoadStatus::loaded;
  publish("jobFailedTotal", count_or_none(failed_known, send.job.failed_total));
  publish("jobFailedLoadedRows", static_cast<double>(send.job.failed_rows.loaded_rows()));
  publish("jobError", send.job.error.c_str());
  // Delivery outcomes of the job shown (-1 until known) and the list the table shows.
  const app::JobOutcomes* outcomes = send.job.open && send.job.outcomes ? &*send.job.outcomes : nullptr;
  publish("jobDelivered", count_or_none(outcomes != nullptr, outcomes ? outcomes->delivered : 0));
  publish("jobBouncedHard", count_or_none(outcomes != nullptr, outcomes ? outcomes->bounced_hard : 0));
  publish("jobBouncedSoft", count_or_none(outcomes != nullptr, outcomes ? outcomes->bounced_soft : 0));
  publish("jobComplained", count_or_none(outcomes != nullptr, outcomes ? outcomes->complained : 0));
  publish("jobList", app::to_string(send.job.list));
  publish("jobsListed", static_cast<double>(send.jobs.jobs.size()));
}

// The suppression list: its status, total, the addresses of the page shown and the last lift's notice.
void publish_suppressions(const app::SuppressionList& suppressions) {
  publish("suppressionsStatus", app::to_string(suppressions.status));
  publish("suppressionsTotal", static_cast<double>(suppressions.total));
  std::string addresses;
  for (const app::SuppressedAddress& row : suppressions.rows) addresses += (addresses.empty() ? "" : ",") + row.email;
  publish("suppressionsShown", addresses.c_str());
  publish("suppressionsNotice", suppressions.notice.c_str());
}

void publish_setup(const app::SetupState& setup) {
  publish("setupTemplates", app::to_string(setup.templates_status));
  publish("templateEditor", flag(setup.editor.open));
  publish("templateProblem", setup.editor.problem ? setup.editor.problem->message.c_str() : "");
  publish("templateProblemPart", setup.editor.problem ? setup.editor.problem->part.c_str() : "");
  publish("templateProblemLine", setup.editor.problem ? static_cast<double>(setup.editor.problem->line) : 0.0);
  publish("templateSaveError", setup.editor.save_error.c_str());
  publish("templateSaved", setup.editor.saved_notice.c_str());
  publish("divisionSaved", setup.division.saved_notice.c_str());
}

void publish_offline(const app::State& state) {
  const app::OfflineState& o = state.offline;
  publish("offlineSync", app::to_string(o.sync));
  publish("offlineHave", flag(o.have_snapshot));
  publish("offlineReceived", static_cast<double>(o.received));
  publish("offlineTotal", static_cast<double>(o.total));
  publish("offlineDataAsOf", o.have_snapshot ? invites::readable_utc(o.data_as_of).c_str() : "");
  publish("offlineContacts", static_cast<double>(o.contacts));
  publish("offlineBytes", static_cast<double>(o.snapshot_bytes));
  publish("offlineDecodeMs", o.decode_ms);
  publish("offlineSyncError", o.sync_error.c_str());
  publish("offlineNotice", o.notice.c_str());
  publish("offline", flag(o.offline));
  publish("offlineChosen", flag(o.chosen));
  publish("offlineReason", o.reason.c_str());
  publish("offlineSession", flag(o.session_from_cache));
  publish("previewOffline", flag(app::preview_is_offline(state)));
  publish("previewId", state.preview.preview_id.c_str());
  publish("previewDigest", state.preview.digest.c_str());
  publish("previewAsOf", state.preview.has_result ? app::data_as_of(state.preview).c_str() : "");
  publish("canSend", flag(app::can_send(state)));
  publish("sendBlockedReason", app::offline_block_reason(state).c_str());
  publish("estimate", flag(o.has_estimate));
  publish("estimateNewUsers", count_or_none(o.has_estimate, o.estimate.new_users));
  publish("estimatePendingInvites", count_or_none(o.has_estimate, o.estimate.pending_invites));
  publish("estimateSkippedInvalidEmail", count_or_none(o.has_estimate, o.estimate.skipped_invalid_email));
  publish("estimateExcludedExisting", count_or_none(o.has_estimate, o.estimate.excluded_existing));
  publish("estimateSkippedSuppressed", count_or_none(o.has_estimate, o.estimate.skipped_suppressed));
  publish("estimateMs", o.estimate_ms);
}

}  // namespace

void publish_page_status(const app::State& state, const FrameStatus& frame) {
  publish_frame(frame);
  publish_session(state);
  publish_load(state);
  publish_recipients(state.recipients);
  publish_sending(state);
  publish_setup(state.setup);
  publish_suppressions(state.suppressions);
  publish_offline(state);
}

}  // namespace invites
