#include "publish_send.hpp"

#include "platform/page.hpp"

namespace invites {

void publish_send_status(const app::State& state) {
  using platform::page::publish;
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
  publish("sendEnabled", app::can_send(state) ? 1.0 : 0.0);
  publish("sendDialog", send.confirm.open ? 1.0 : 0.0);
  publish("sendError", send.confirm.error.c_str());
  publish("sendNotice", send.notice.c_str());
  // The job view (-1 while no job is shown) and the list.
  const app::Job* job = send.job.open && send.job.job ? &*send.job.job : nullptr;
  publish("jobId", send.job.open ? static_cast<double>(send.job.job_id) : -1.0);
  publish("jobStatus", job ? job->status.c_str() : "");
  publish("jobTotal", job ? static_cast<double>(job->total) : -1.0);
  publish("jobSent", job ? static_cast<double>(job->sent) : -1.0);
  publish("jobFailed", job ? static_cast<double>(job->failed) : -1.0);
  publish("jobPending", job ? static_cast<double>(job->pending) : -1.0);
  // The failed table: its total once the list answered, and the rows read so far.
  const bool failed_known = job && send.job.failed_status == app::LoadStatus::loaded;
  publish("jobFailedTotal", failed_known ? static_cast<double>(send.job.failed_total) : -1.0);
  publish("jobFailedLoadedRows", static_cast<double>(send.job.failed_rows.loaded_rows()));
  publish("jobError", send.job.error.c_str());
  // Delivery outcomes of the job shown (-1 until known) and the list the table shows.
  const app::JobOutcomes* outcomes = send.job.open && send.job.outcomes ? &*send.job.outcomes : nullptr;
  publish("jobDelivered", outcomes ? static_cast<double>(outcomes->delivered) : -1.0);
  publish("jobBouncedHard", outcomes ? static_cast<double>(outcomes->bounced_hard) : -1.0);
  publish("jobBouncedSoft", outcomes ? static_cast<double>(outcomes->bounced_soft) : -1.0);
  publish("jobComplained", outcomes ? static_cast<double>(outcomes->complained) : -1.0);
  publish("jobList", app::to_string(send.job.list));
  publish("jobsListed", static_cast<double>(send.jobs.jobs.size()));
  // Setup.
  const app::SetupState& setup = state.setup;
  publish("setupTemplates", app::to_string(setup.templates_status));
  publish("templateEditor", setup.editor.open ? 1.0 : 0.0);
  publish("templateProblem", setup.editor.problem ? setup.editor.problem->message.c_str() : "");
  publish("templateProblemPart", setup.editor.problem ? setup.editor.problem->part.c_str() : "");
  publish("templateProblemLine", setup.editor.problem ? static_cast<double>(setup.editor.problem->line) : 0.0);
  publish("templateSaveError", setup.editor.save_error.c_str());
  publish("templateSaved", setup.editor.saved_notice.c_str());
  publish("divisionSaved", setup.division.saved_notice.c_str());
  // The suppression list: its status, total, the addresses of the page shown and the last lift's notice.
  const app::SuppressionList& suppressions = state.suppressions;
  publish("suppressionsStatus", app::to_string(suppressions.status));
  publish("suppressionsTotal", static_cast<double>(suppressions.total));
  std::string addresses;
  for (const app::SuppressedAddress& row : suppressions.rows) addresses += (addresses.empty() ? "" : ",") + row.email;
  publish("suppressionsShown", addresses.c_str());
  publish("suppressionsNotice", suppressions.notice.c_str());
}

}  // namespace invites
