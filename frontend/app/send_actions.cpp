#include "app/send_actions.hpp"

#include "app/api_json.hpp"

#include <invites/email.hpp>
#include <invites/enum_names.hpp>
#include <invites/percent_encoding.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <utility>

namespace invites::app {

namespace {

using api::json;
using api::member_object;

constexpr int send_timeout_ms = 60000;  // the server re-evaluates the filter and writes the outbox
constexpr int render_timeout_ms = 20000;
constexpr int test_send_timeout_ms = 60000;  // a real SMTP conversation
constexpr double poll_retry_seconds = 3.0;   // after a failed poll

std::string default_key() {
  static std::mt19937_64 engine{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(engine()),
                static_cast<unsigned long long>(engine()));
  return out;
}

FetchRequest post(std::string url, const json& body, int timeout_ms = api::api_timeout_ms) {
  return api::request("POST", std::move(url), body.dump(), timeout_ms);
}

FetchRequest get(std::string url) { return api::request("GET", std::move(url)); }

std::optional<JobRecipient> parse_job_recipient(const json& row) {
  if (!row.is_object()) return std::nullopt;
  JobRecipient r;
  r.email = api::str(row, "email");
  r.group = parse_group(api::str(row, "group"));
  r.status = parse_outbox_status(api::str(row, "status"));
  r.attempts = static_cast<int>(api::i64(row, "attempts"));
  r.last_error = api::str(row, "last_error");
  r.sent_at = api::str(row, "sent_at");
  r.outcome = api::str(row, "outcome");
  r.outcome_diagnostic = api::str(row, "outcome_diagnostic");
  return r;
}

double number(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

// The "outcomes" of GET /api/jobs/{id}; nullopt when the answer has none.
std::optional<JobOutcomes> outcomes_of(const std::optional<json>& doc) {
  const json* o = doc ? member_object(*doc, "outcomes") : nullptr;
  if (!o) return std::nullopt;
  JobOutcomes outcomes;
  outcomes.delivered = api::u64(*o, "delivered");
  outcomes.bounced_hard = api::u64(*o, "bounced_hard");
  outcomes.bounced_soft = api::u64(*o, "bounced_soft");
  outcomes.complained = api::u64(*o, "complained");
  outcomes.bounce_rate = number(*o, "bounce_rate");
  outcomes.complaint_rate = number(*o, "complaint_rate");
  if (const json* t = member_object(*o, "thresholds")) {
    outcomes.bounce_rate_review = number(*t, "bounce_rate_review");
    outcomes.complaint_rate_review = number(*t, "complaint_rate_review");
    outcomes.complaint_rate_limit = number(*t, "complaint_rate_limit");
  }
  return outcomes;
}

// The count of the job's chosen list: when it changes, the list is read again.
std::uint64_t list_count(const JobView& view) {
  if (view.list == JobRecipientList::failed) return view.job ? view.job->failed : 0;
  if (!view.outcomes) return 0;
  return view.list == JobRecipientList::bounced ? view.outcomes->bounced_hard + view.outcomes->bounced_soft
                                                : view.outcomes->complained;
}

std::string template_name_of(const State& state, Id id) {
  for (const LookupItem& t : state.lookups.templates)
    if (t.id == id) return t.name;
  return "Template #" + std::to_string(id);
}

}  // namespace

// --- free functions of send_state.hpp ---------------------------------------------

const char* to_string(MainTab tab) {
  static constexpr std::array<const char*, 4> names{"invites", "jobs", "suppressions", "setup"};  // by MainTab
  static_assert(detail::all_named(names));
  return detail::name_in(names, tab);
}

const char* to_string(JobRecipientList list) {
  static constexpr std::array<const char*, 3> names{"failed", "bounced", "complained"};  // by JobRecipientList
  static_assert(detail::all_named(names));
  return detail::name_in(names, list);
}

bool job_active(const Job& job) { return job.status && is_active(*job.status); }

std::string format_duration(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  char out[48];
  if (seconds >= 3600)
    std::snprintf(out, sizeof out, "%lld h %02lld min", static_cast<long long>(seconds / 3600),
                  static_cast<long long>((seconds % 3600) / 60));
  else if (seconds >= 60)
    std::snprintf(out, sizeof out, "%lld min %02lld s", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  else
    std::snprintf(out, sizeof out, "%lld s", static_cast<long long>(seconds));
  return out;
}

std::string digest_mismatch_message(std::uint64_t new_users, std::uint64_t pending_invites) {
  return "The recipients changed since Load: " + std::to_string(new_users) + " new users, " +
         std::to_string(pending_invites) + " pending invites now. Press Load again.";
}

std::optional<Job> parse_job(const json& o) {
  if (!o.is_object()) return std::nullopt;
  Job job;
  job.id = api::i64(o, "id");
  const std::string status = api::str(o, "status");
  if (job.id <= 0 || status.empty()) return std::nullopt;
  job.status = parse_job_status(status);
  job.pause_reason = api::str(o, "pause_reason");
  job.created_at = api::str(o, "created_at");
  job.created_by = api::str(o, "created_by");
  job.from_email = api::str(o, "from_email");
  job.template_id = static_cast<Id>(api::u64(o, "template_id"));
  job.template_name = api::str(o, "template_name");
  if (const auto g = o.find("groups"); g != o.end() && g->is_array())
    for (const json& name : *g)
      if (const auto group = name.is_string() ? parse_group(name.get<std::string>()) : std::nullopt)
        job.groups.push_back(*group);
  job.total = api::u64(o, "total");
  job.sent = api::u64(o, "sent");
  job.failed = api::u64(o, "failed");
  job.skipped = api::u64(o, "skipped");
  job.pending = api::u64(o, "pending");
  if (const auto r = o.find("rate_per_second"); r != o.end() && r->is_number()) job.rate_per_second = r->get<double>();
  if (const auto e = o.find("eta_seconds"); e != o.end() && e->is_number())
    job.eta_seconds = static_cast<std::int64_t>(e->get<double>());
  job.started_at = api::str(o, "started_at");
  job.finished_at = api::str(o, "finished_at");
  return job;
}

// The job of an answer {"job": {...}} (send, progress, pause/resume/...).
std::optional<Job> job_of(const std::optional<json>& doc) {
  if (!doc) return std::nullopt;
  const json* job = member_object(*doc, "job");
  return job ? parse_job(*job) : std::nullopt;
}

// --- SendActions ----------------------------------------------------------------------

SendActions::SendActions(State& state, ApiCaller api) : state_(state), api_(std::move(api)), make_key_(default_key) {}

void SendActions::reset() {
  state_.send = SendState{};
  ++generation_;
  ++templates_generation_;
  templates_wanted_ = false;
  ++job_generation_;
}

void SendActions::tick(double now_seconds) {
  now_ = now_seconds;
  if (templates_wanted_ && state_.lookups.status == LoadStatus::loaded) fetch_active_templates();
  const JobView& view = state_.send.job;
  if (view.open && view.job && job_active(*view.job) && !view.poll_in_flight && view.command.empty() &&
      now_ >= view.next_poll_at)
    poll_job();

  // The past-jobs list on screen follows running jobs (the open job's row follows its own polls).
  const JobList& list = state_.send.jobs;
  if (state_.send.tab == MainTab::jobs && list.status == LoadStatus::loaded && now_ >= list.next_poll_at &&
      std::any_of(list.jobs.begin(), list.jobs.end(),
                  [&](const Job& job) { return job_active(job) && !(view.open && view.job_id == job.id); }))
    load_jobs();

  const EmailPreview& email = state_.send.email;
  if (email.open && email.status != LoadStatus::loading && state_.form.template_id) {
    if (state_.preview.has_result && email.preview_id != state_.preview.preview_id) {
      // A new Load: the recipient may no longer be in it; start from its first one.
      state_.send.email.recipient_email.clear();
      find_first_recipient();
    } else if (email.template_id != state_.form.template_id) {
      render_preview();
    }
  }
}

void SendActions::show_tab(MainTab tab) {
  if (tab == MainTab::jobs && state_.send.tab != MainTab::jobs) load_jobs();
  state_.send.tab = tab;
}

void SendActions::lookups_loaded() { templates_wanted_ = state_.lookups.templates.empty(); }

void SendActions::fetch_active_templates() {
  templates_wanted_ = false;
  const std::uint64_t generation = ++templates_generation_;
  api_(get("/api/templates"), [this, generation](FetchResult&& result) {
    if (generation != templates_generation_ || state_.lookups.status != LoadStatus::loaded ||
        !state_.lookups.templates.empty())
      return;
    const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
    const auto list = doc ? doc->find("templates") : json::const_iterator();
    if (!doc || list == doc->end() || !list->is_array()) return;  // the screen keeps "No templates yet"
    for (const json& t : *list) {
      if (!t.is_object() || !api::boolean(t, "active", true)) continue;
      const std::uint64_t id = api::u64(t, "id");
      if (id == 0 || id > 0xffffffffu) continue;
      state_.lookups.templates.push_back(LookupItem{static_cast<Id>(id), api::str(t, "name"), std::nullopt});
    }
    if (!state_.lookups.templates.empty() && !state_.form.template_id)
      state_.form.template_id = state_.lookups.templates.front().id;
  });
}

// --- email preview --------------------------------------------------------------------

void SendActions::open_email_preview() {
  EmailPreview& email = state_.send.email;
  email.open = true;
  if (email.recipient_email.empty() || email.preview_id != state_.preview.preview_id)
    find_first_recipient();
  else
    render_preview();
}

void SendActions::close_email_preview() {
  const std::string test_to = state_.send.email.test_to;
  state_.send.email = EmailPreview{};
  state_.send.email.test_to = test_to;  // the typed test address is kept for the next preview
  ++generation_;
}

void SendActions::preview_for_recipient(const std::string& email_address) {
  EmailPreview& email = state_.send.email;
  email.open = true;
  email.recipient_email = email_address;
  email.preview_id = state_.preview.preview_id;
  render_preview();
}

void SendActions::refresh_email_preview() {
  if (state_.send.email.open) render_preview();
}

// The first recipient of the selected group (else new users, else pending
// invites): from the open recipient table when its first row is there, else
// one row from the API.
void SendActions::find_first_recipient() {
  EmailPreview& email = state_.send.email;
  email.recipient_email.clear();
  email.preview_id = state_.preview.preview_id;
  const Preview& preview = state_.preview;
  if (!preview.has_result || preview.preview_id.empty()) {
    render_preview();  // no Load yet: the documented example values
    return;
  }
  const RecipientTable& table = state_.recipients;
  if (table.open && table.preview_id == preview.preview_id && is_mailed(table.group)) {
    if (const RecipientEntry* first = table.blocks.row(0)) {
      email.recipient_email = first->email;
      render_preview();
      return;
    }
  }
  std::optional<Group> group = state_.selected_group;
  if (!group) {
    if (preview.counts.new_users > 0)
      group = Group::new_users;
    else if (preview.counts.pending_invites > 0)
      group = Group::pending_invites;
  }
  if (!group) {
    render_preview();  // nobody to mail: example values
    return;
  }
  email.status = LoadStatus::loading;
  email.error.clear();
  const std::uint64_t generation = email.generation = ++generation_;
  const std::string url = "/api/previews/" + percent_encode(preview.preview_id) +
                          "/recipients?group=" + std::string(group_name(*group)) + "&offset=0&limit=1";
  api_(get(url), [this, generation](FetchResult&& result) {
    EmailPreview& e = state_.send.email;
    if (!e.open || e.generation != generation) return;
    if (!result.ok()) {
      e.status = LoadStatus::failed;
      e.error = api::failure_message(result, "The first recipient could not be found.");
      return;
    }
    const std::optional<json> doc = api::parse_object(result);
    if (doc) {
      const auto rows = doc->find("rows");
      if (rows != doc->end() && rows->is_array() && !rows->empty() && (*rows)[0].is_object())
        e.recipient_email = api::str((*rows)[0], "email");
    }
    render_preview();
  });
}

void SendActions::render_preview() {
  EmailPreview& email = state_.send.email;
  email.template_id = state_.form.template_id;
  email.preview_id = state_.preview.preview_id;
  if (!email.template_id) {
    email.status = LoadStatus::failed;
    email.error = "Choose a notification template first.";
    return;
  }
  email.status = LoadStatus::loading;
  email.error.clear();
  json body = {{"template_id", *email.template_id}};
  // The typed sender fills the sender merge field (left out while it is not a valid address).
  if (!state_.form.email_from.empty() && email_from_problem(state_.form).empty())
    body["from_email"] = state_.form.email_from;
  if (!email.recipient_email.empty() && !email.preview_id.empty()) {
    body["preview_id"] = email.preview_id;
    body["email"] = email.recipient_email;
  }
  const std::uint64_t generation = email.generation = ++generation_;
  api_(post("/api/render", body, render_timeout_ms), [this, generation](FetchResult&& result) {
    EmailPreview& e = state_.send.email;
    if (!e.open || e.generation != generation) return;
    const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
    if (!result.ok() || !doc) {
      e.status = LoadStatus::failed;
      e.error = result.ok() ? "The server sent a preview the app does not understand."
                            : api::failure_message(result, "The preview could not be rendered.");
      return;
    }
    e.status = LoadStatus::loaded;
    e.subject = api::str(*doc, "subject");
    e.text_body = api::str(*doc, "text_body");
    e.html_body = api::str(*doc, "html_body");
    e.recipient.reset();
    if (const json* r = member_object(*doc, "recipient")) {
      PreviewRecipient who;
      who.email = api::str(*r, "email");
      who.first_name = api::str(*r, "first_name");
      who.last_name = api::str(*r, "last_name");
      who.account_number = api::str(*r, "account_number");
      who.account_name = api::str(*r, "account_name");
      e.recipient = std::move(who);
    }
  });
}

void SendActions::open_html_document(const std::string& html) {
  if (open_html_ && !html.empty()) open_html_(html);
}

void SendActions::open_html_preview() {
  const EmailPreview& email = state_.send.email;
  if (!open_html_ || email.status != LoadStatus::loaded || email.html_body.empty()) return;
  open_html_(email.html_body);
}

void SendActions::set_test_address(std::string to) {
  EmailPreview& email = state_.send.email;
  if (email.test_to == to) return;
  email.test_to = std::move(to);
  if (email.test_status != LoadStatus::loading) {
    email.test_status = LoadStatus::idle;
    email.test_message.clear();
  }
}

void SendActions::send_test() {
  EmailPreview& email = state_.send.email;
  if (email.test_status == LoadStatus::loading) return;
  const std::string to = normalize_email(email.test_to);
  email.test_status = LoadStatus::failed;
  if (!is_valid_email(to)) {
    email.test_message = "Enter a valid address to send the test to.";
    return;
  }
  if (!state_.form.template_id) {
    email.test_message = "Choose a notification template first.";
    return;
  }
  if (state_.form.email_from.empty() || !email_from_problem(state_.form).empty()) {
    email.test_message = "Enter a valid Email From address first.";
    return;
  }
  json body = {{"template_id", *state_.form.template_id}, {"from_email", state_.form.email_from}, {"to", to}};
  if (!email.recipient_email.empty() && !email.preview_id.empty()) {
    body["preview_id"] = email.preview_id;
    body["email"] = email.recipient_email;
  }
  email.test_status = LoadStatus::loading;
  email.test_message = "Sending a test to " + to + "\u2026";
  api_(post("/api/test-send", body, test_send_timeout_ms), [this, to](FetchResult&& result) {
    EmailPreview& e = state_.send.email;
    if (e.test_status != LoadStatus::loading) return;
    const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
    if (doc && api::boolean(*doc, "delivered", false)) {
      e.test_status = LoadStatus::loaded;
      e.test_message = "Test delivered to " + to + ".";
      const std::string detail = api::str(*doc, "detail");
      if (!detail.empty()) e.test_message += " " + detail;
      return;
    }
    e.test_status = LoadStatus::failed;
    if (result.ok()) {
      e.test_message = "The test was not delivered. " + (doc ? api::str(*doc, "detail") : std::string());
    } else if (result.status == 502) {
      e.test_message = "The mail server refused the test: " + api::failure_message(result, "delivery failed");
    } else {
      e.test_message = api::failure_message(result, "The test could not be sent.");
    }
  });
}

// --- Send ---------------------------------------------------------------------------

void SendActions::open_send_dialog() {
  if (!can_send(state_)) return;
  SendConfirm confirm;
  confirm.open = true;
  confirm.preview_id = state_.preview.preview_id;
  confirm.counts = state_.preview.counts;
  confirm.new_users = confirm.counts.new_users > 0;
  confirm.pending_invites = confirm.counts.pending_invites > 0;
  confirm.from_email = state_.form.email_from;
  if (state_.form.template_id) {
    confirm.template_id = *state_.form.template_id;
    confirm.template_name = template_name_of(state_, confirm.template_id);
  }
  confirm.idempotency_key = make_key_ ? make_key_() : default_key();
  state_.send.confirm = std::move(confirm);
  state_.send.notice.clear();
}

void SendActions::set_send_group(Group group, bool on) {
  SendConfirm& confirm = state_.send.confirm;
  if (!confirm.open || confirm.busy) return;
  if (group == Group::new_users) confirm.new_users = on;
  if (group == Group::pending_invites) confirm.pending_invites = on;
}

void SendActions::cancel_send_dialog() {
  if (state_.send.confirm.busy) return;  // the answer decides (a job may be created)
  state_.send.confirm = SendConfirm{};
}

void SendActions::dismiss_notice() { state_.send.notice.clear(); }

void SendActions::confirm_send() {
  SendConfirm& confirm = state_.send.confirm;
  if (!confirm.open || confirm.busy) return;
  if (confirm.template_id == 0) {
    confirm.error = "Choose a notification template first.";
    return;
  }
  json groups = json::array();
  if (confirm.new_users && confirm.counts.new_users > 0) groups.push_back(group_name(Group::new_users));
  if (confirm.pending_invites && confirm.counts.pending_invites > 0)
    groups.push_back(group_name(Group::pending_invites));
  if (groups.empty()) {
    confirm.error = "Choose at least one group to send to.";
    return;
  }
  confirm.busy = true;
  confirm.error.clear();
  const json body = {{"from_email", confirm.from_email},
                     {"template_id", confirm.template_id},
                     {"groups", groups},
                     {"idempotency_key", confirm.idempotency_key}};
  std::string preview_id = confirm.preview_id;
  api_(post("/api/previews/" + percent_encode(preview_id) + "/send", body, send_timeout_ms),
       [this, preview_id](FetchResult&& result) { on_send_result(std::move(result), preview_id); });
}

void SendActions::on_send_result(FetchResult&& result, std::string preview_id) {
  SendConfirm& confirm = state_.send.confirm;
  if (!confirm.open || !confirm.busy) return;
  confirm.busy = false;
  const std::optional<json> doc = api::parse_object(result);
  if (result.ok()) {
    const std::optional<Job> job = job_of(doc);
    const std::int64_t job_id = doc ? api::i64(*doc, "job_id") : 0;
    if (!job && job_id <= 0) {
      confirm.error = "The server accepted the send but sent an answer the app does not understand.";
      return;
    }
    state_.send.confirm = SendConfirm{};
    state_.send.tab = MainTab::jobs;
    open_job(job ? job->id : job_id);
    if (job) {
      state_.send.job.status = LoadStatus::loaded;
      state_.send.job.next_poll_at = now_ + job_poll_seconds;
      apply_job(std::move(*job), std::nullopt);
    }
    load_jobs();
    return;
  }
  const api::Error error = api::error_of(result);
  if (result.status == 409 && error.code == "digest_mismatch") {
    // Zeros when the answer lacks the counts: the notice still says to Load again.
    const Counts now = (doc ? api::counts_member(*doc, "counts") : std::nullopt).value_or(Counts{});
    state_.send.confirm = SendConfirm{};
    state_.send.outdated_preview_id = preview_id;
    state_.send.notice = digest_mismatch_message(now.new_users, now.pending_invites);
    return;
  }
  confirm.error = api::failure_message(result, "The send could not be started.");
}

// --- jobs ------------------------------------------------------------------------------

void SendActions::load_jobs() {
  JobList& list = state_.send.jobs;
  if (list.status == LoadStatus::loading) return;
  list.status = LoadStatus::loading;
  list.error.clear();
  api_(get("/api/jobs"), [this](FetchResult&& result) {
    JobList& l = state_.send.jobs;
    const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
    const auto jobs = doc ? doc->find("jobs") : json::const_iterator();
    if (!doc || jobs == doc->end() || !jobs->is_array()) {
      l.status = LoadStatus::failed;
      l.error = result.ok() ? "The server sent a job list the app does not understand."
                            : api::failure_message(result, "The jobs could not be listed.");
      return;
    }
    l.jobs.clear();
    l.next_poll_at = now_ + job_list_poll_seconds;
    for (const json& j : *jobs)
      if (std::optional<Job> job = parse_job(j)) l.jobs.push_back(std::move(*job));
    l.status = LoadStatus::loaded;
    // The open job's own (fresher, polled) numbers win.
    const JobView& view = state_.send.job;
    if (view.open && view.job)
      for (Job& job : l.jobs)
        if (job.id == view.job->id) job = *view.job;
  });
}

void SendActions::open_job(std::int64_t job_id) {
  if (job_id <= 0) return;
  JobView view;
  view.open = true;
  view.job_id = job_id;
  view.status = LoadStatus::loading;
  // Show what the list knows at once; the first poll brings the live numbers.
  for (const Job& job : state_.send.jobs.jobs)
    if (job.id == job_id) view.job = job;
  state_.send.job = std::move(view);
  state_.send.tab = MainTab::jobs;
  ++job_generation_;
  poll_job();
}

void SendActions::close_job() {
  state_.send.job = JobView{};
  ++job_generation_;
}

void SendActions::poll_job() {
  JobView& view = state_.send.job;
  if (!view.open || view.poll_in_flight) return;
  view.poll_in_flight = true;
  const std::uint64_t generation = job_generation_;
  api_(get("/api/jobs/" + std::to_string(view.job_id)), [this, generation](FetchResult&& result) {
    JobView& v = state_.send.job;
    if (!v.open || generation != job_generation_) return;
    v.poll_in_flight = false;
    v.next_poll_at = now_ + job_poll_seconds;
    const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
    const std::optional<Job> job = job_of(doc);
    if (!job) {
      v.error = result.ok() ? "The server sent a job the app does not understand."
                            : api::failure_message(result, "The job's progress could not be read.");
      if (!v.job) v.status = LoadStatus::failed;
      v.next_poll_at = now_ + poll_retry_seconds;
      if (result.status == 404 || result.status == 403) {
        v.status = LoadStatus::failed;
        if (v.job) v.job->status.reset();  // stop polling
      }
      return;
    }
    v.status = LoadStatus::loaded;
    if (v.command.empty()) v.error.clear();
    apply_job(std::move(*job), outcomes_of(doc));
  });
}

void SendActions::apply_job(Job job, std::optional<JobOutcomes> outcomes) {
  JobView& view = state_.send.job;
  for (Job& listed : state_.send.jobs.jobs)
    if (listed.id == job.id) listed = job;
  const std::uint64_t skipped = job.skipped;
  view.job = std::move(job);
  if (outcomes) view.outcomes = outcomes;  // answers of commands (pause, ...) carry none
  if (view.skipped_rows_for != skipped) {
    view.skipped_rows_for = skipped;
    if (skipped == 0) {
      view.skipped_rows.clear();
      view.skipped_total = 0;
      view.skipped_status = LoadStatus::loaded;
    } else {
      fetch_skipped_rows();
    }
  }
  const std::uint64_t failed = list_count(view);
  if (view.failed_rows_for == failed) return;
  view.failed_rows_for = failed;
  if (failed == 0) {
    view.failed_rows.clear();
    view.failed_total = 0;
    view.failed_status = LoadStatus::loaded;
    return;
  }
  // The rows shown stay until their blocks are read again for the new count.
  view.failed_rows.outdate();
  if (view.failed_status == LoadStatus::failed) return;  // waits for Reload
  if (view.failed_status == LoadStatus::idle) view.failed_status = LoadStatus::loading;
  // With no rows known the table asks for none: read the first block (it brings the total).
  if (view.failed_total == 0)
    for (const std::size_t block : view.failed_rows.blocks_to_fetch(0, 0)) fetch_failed_block(block);
}

void SendActions::need_failed_rows(std::size_t first, std::size_t last) {
  JobView& view = state_.send.job;
  if (!view.open || view.failed_status == LoadStatus::failed || view.failed_total == 0 || first > last) return;
  last = std::min<std::size_t>(last, static_cast<std::size_t>(view.failed_total - 1));
  if (first > last) return;
  for (const std::size_t block : view.failed_rows.blocks_to_fetch(first, last)) fetch_failed_block(block);
}

void SendActions::reload_failed_rows() {
  JobView& view = state_.send.job;
  if (!view.open || !view.job) return;
  ++failed_generation_;
  view.failed_rows.clear();
  view.failed_total = 0;
  view.failed_status = LoadStatus::loading;
  for (const std::size_t block : view.failed_rows.blocks_to_fetch(0, 0)) fetch_failed_block(block);
}

void SendActions::show_job_list(JobRecipientList list) {
  JobView& view = state_.send.job;
  if (!view.open || view.list == list) return;
  view.list = list;
  view.failed_rows_for = list_count(view);
  reload_failed_rows();
}

void SendActions::refresh_job() {
  if (state_.send.job.open) poll_job();
}

void SendActions::fetch_failed_block(std::size_t block) {
  const JobView& view = state_.send.job;
  const std::uint64_t job_generation = job_generation_, failed_generation = failed_generation_;
  const std::uint64_t version = view.failed_rows.version();
  api_(get("/api/jobs/" + std::to_string(view.job_id) + "/recipients?status=" + to_string(view.list) +
           "&offset=" + std::to_string(block * failed_block_rows) + "&limit=" + std::to_string(failed_block_rows)),
       [this, job_generation, failed_generation, version, block](FetchResult&& result) {
         JobView& v = state_.send.job;
         if (!v.open || job_generation != job_generation_ || failed_generation != failed_generation_) return;
         const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
         const auto rows = doc ? doc->find("rows") : json::const_iterator();
         const auto total = doc ? doc->find("total") : json::const_iterator();
         if (!doc || rows == doc->end() || !rows->is_array() || total == doc->end() || !total->is_number_unsigned()) {
           v.failed_rows.failed(block);
           v.failed_status = LoadStatus::failed;
           v.error = result.ok() ? "The server sent failed recipients the app does not understand."
                                 : api::failure_message(result, "The failed recipients could not be listed.");
           return;
         }
         std::vector<JobRecipient> loaded;
         for (const json& row : *rows)
           if (std::optional<JobRecipient> r = parse_job_recipient(row)) loaded.push_back(std::move(*r));
         v.failed_rows.arrived(block, version, std::move(loaded));
         v.failed_total = total->get<std::uint64_t>();
         v.failed_status = LoadStatus::loaded;
         // An empty answer from before the count changed: the table would ask for nothing.
         if (v.failed_total == 0 && version != v.failed_rows.version())
           for (const std::size_t b : v.failed_rows.blocks_to_fetch(0, 0)) fetch_failed_block(b);
       });
}

void SendActions::fetch_skipped_rows() {
  JobView& view = state_.send.job;
  if (view.skipped_status == LoadStatus::idle) view.skipped_status = LoadStatus::loading;
  const std::uint64_t job_generation = job_generation_;
  api_(get("/api/jobs/" + std::to_string(view.job_id) +
           "/recipients?status=skipped&offset=0&limit=" + std::to_string(skipped_rows_shown)),
       [this, job_generation](FetchResult&& result) {
         JobView& v = state_.send.job;
         if (!v.open || job_generation != job_generation_) return;
         const std::optional<json> doc = result.ok() ? api::parse_object(result) : std::nullopt;
         const auto rows = doc ? doc->find("rows") : json::const_iterator();
         const auto total = doc ? doc->find("total") : json::const_iterator();
         if (!doc || rows == doc->end() || !rows->is_array() || total == doc->end() || !total->is_number_unsigned()) {
           v.skipped_status = LoadStatus::failed;
           v.skipped_rows_for.reset();  // read again at the next poll
           return;
         }
         v.skipped_rows.clear();
         for (const json& row : *rows)
           if (std::optional<JobRecipient> r = parse_job_recipient(row)) v.skipped_rows.push_back(std::move(*r));
         v.skipped_total = total->get<std::uint64_t>();
         v.skipped_status = LoadStatus::loaded;
       });
}

void SendActions::job_command(const char* command) {
  JobView& view = state_.send.job;
  if (!view.open || !view.job || !view.command.empty()) return;
  view.command = command;
  view.error.clear();
  const std::uint64_t generation = job_generation_;
  const std::string name = command;
  api_(post("/api/jobs/" + std::to_string(view.job_id) + "/" + name, json::object()),
       [this, generation, name](FetchResult&& result) {
         JobView& v = state_.send.job;
         if (!v.open || generation != job_generation_) return;
         v.command.clear();
         v.next_poll_at = now_ + job_poll_seconds;
         const std::optional<Job> job = result.ok() ? job_of(api::parse_object(result)) : std::nullopt;
         if (!job) {
           v.error = result.ok() ? "The server sent an answer the app does not understand."
                                 : api::failure_message(result, "The job could not be changed (" + name + ").");
           return;
         }
         if (name == "retry-failed") v.failed_rows_for.reset();  // the failed list changes
         apply_job(std::move(*job), std::nullopt);
       });
}

void SendActions::pause_job() { job_command("pause"); }
void SendActions::resume_job() { job_command("resume"); }
void SendActions::cancel_job() { job_command("cancel"); }
void SendActions::retry_failed() { job_command("retry-failed"); }

}  // namespace invites::app
