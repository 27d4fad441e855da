#include "app/suppression_actions.hpp"

#include "app/api_json.hpp"

#include <invites/percent_encoding.hpp>

namespace invites::app {
namespace {

using nlohmann::json;

SuppressedAddress parse_row(const json& row) {
  SuppressedAddress out;
  out.email = api::str(row, "email");
  out.reason = api::str(row, "reason");
  out.suppressed_at = api::str(row, "suppressed_at");
  out.lifted_at = api::str(row, "lifted_at");
  out.lifted_by = api::str(row, "lifted_by");
  if (const json* last = api::member_object(row, "last_outcome")) {
    out.last_kind = api::str(*last, "kind");
    out.last_source = api::str(*last, "source");
    out.last_status = api::str(*last, "status");
    out.last_diagnostic = api::str(*last, "diagnostic");
    out.last_at = api::str(*last, "at");
  }
  if (const json* contacts = api::member_array(row, "contacts"))
    for (const json& c : *contacts)
      if (c.is_object())
        out.contacts.push_back({static_cast<Id>(api::u64(c, "contact_id")), api::str(c, "first_name"),
                                api::str(c, "last_name"), api::str(c, "account_number"), api::str(c, "account_name")});
  return out;
}

}  // namespace

const char* suppression_reason_caption(const std::string& reason) {
  if (reason == "hard_bounce") return "Hard bounce";
  if (reason == "complaint") return "Complaint";
  if (reason == "soft_bounces") return "Repeated soft bounces";
  return "Suppressed";
}

const char* outcome_kind_caption(const std::string& kind) {
  if (kind == "hard_bounce") return "Hard bounce";
  if (kind == "soft_bounce") return "Soft bounce";
  if (kind == "complaint") return "Complaint";
  return "";
}

SuppressionActions::SuppressionActions(State& state, ApiCaller api, UrlOpener open_url)
    : state_(state), api_(std::move(api)), open_url_(std::move(open_url)) {}

std::string SuppressionActions::query() const {
  const SuppressionList& list = state_.suppressions;
  return "q=" + percent_encode(list.search) + "&include_lifted=" + (list.include_lifted ? "true" : "false");
}

void SuppressionActions::open() {
  if (state_.suppressions.status == LoadStatus::idle) load();
}

void SuppressionActions::set_search(std::string text) {
  state_.suppressions.search = std::move(text);
  state_.suppressions.offset = 0;
  load();
}

void SuppressionActions::set_include_lifted(bool on) {
  state_.suppressions.include_lifted = on;
  state_.suppressions.offset = 0;
  load();
}

void SuppressionActions::next_page() {
  SuppressionList& list = state_.suppressions;
  if (list.offset + suppression_page_rows >= list.total) return;
  list.offset += suppression_page_rows;
  load();
}

void SuppressionActions::previous_page() {
  SuppressionList& list = state_.suppressions;
  if (list.offset == 0) return;
  list.offset = list.offset > suppression_page_rows ? list.offset - suppression_page_rows : 0;
  load();
}

void SuppressionActions::reload() { load(); }

void SuppressionActions::load() {
  SuppressionList& list = state_.suppressions;
  list.status = LoadStatus::loading;
  list.error.clear();
  const std::uint64_t generation = ++generation_;
  api_(api::request("GET", "/api/suppressions?" + query() + "&offset=" + std::to_string(list.offset) +
                               "&limit=" + std::to_string(suppression_page_rows)),
       [this, generation](FetchResult&& result) {
         if (generation != generation_) return;
         SuppressionList& l = state_.suppressions;
         const auto doc = result.ok() ? api::parse_object(result) : std::nullopt;
         const json* rows = doc ? api::member_array(*doc, "rows") : nullptr;
         if (!rows) {
           l.status = LoadStatus::failed;
           l.error = api::failure_message(result, "The suppressed addresses could not be listed.");
           return;
         }
         l.total = api::u64(*doc, "total");
         l.rows.clear();
         for (const json& row : *rows)
           if (row.is_object()) l.rows.push_back(parse_row(row));
         l.status = LoadStatus::loaded;
       });
}

void SuppressionActions::export_csv() {
  if (open_url_) open_url_("/api/suppressions.csv?" + query());
}

void SuppressionActions::ask_lift(const std::string& email) {
  state_.suppressions.confirm_lift = email;
  state_.suppressions.notice.clear();
}

void SuppressionActions::cancel_lift() { state_.suppressions.confirm_lift.reset(); }

void SuppressionActions::confirm_lift() {
  SuppressionList& list = state_.suppressions;
  if (!list.confirm_lift || !list.lifting.empty()) return;
  list.lifting = *list.confirm_lift;
  list.confirm_lift.reset();
  api_(api::request("POST", "/api/suppressions/lift", json{{"email", list.lifting}}.dump()),
       [this](FetchResult&& result) {
         SuppressionList& l = state_.suppressions;
         const std::string email = std::move(l.lifting);
         l.lifting.clear();
         if (!result.ok()) {
           l.notice = api::failure_message(result, "The suppression of " + email + " could not be lifted.");
           return;
         }
         l.notice = "Lifted the suppression of " + email + ": it will be invited again.";
         load();
       });
}

void SuppressionActions::reset() {
  state_.suppressions = SuppressionList{};
  ++generation_;
}

}  // namespace invites::app
