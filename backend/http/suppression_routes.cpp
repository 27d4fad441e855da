#include <limits>

#include <nlohmann/json.hpp>

#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "http/request_fields.hpp"
#include "invites/csv.hpp"
#include "invites/email.hpp"
#include "invites/json_optional.hpp"
#include "repository/audit_log.hpp"
#include "repository/suppressions.hpp"

namespace invites::http {
namespace {

constexpr std::size_t default_limit = 100;
constexpr std::size_t max_limit = 1000;

// A contact that uses an address, with its account: what billing corrects.
struct ContactUse {
  Id contact_id;
  std::string_view first_name, last_name, account_number, account_name;
};

// From the Load index: the contacts whose normalized address it is.
std::vector<ContactUse> contacts_using(const Snapshot* snapshot, const std::string& email) {
  std::vector<ContactUse> uses;
  if (snapshot == nullptr) return uses;
  const auto index = snapshot->find_email(email);
  if (!index) return uses;
  for (auto k = snapshot->email_contacts_begin[*index]; k < snapshot->email_contacts_begin[*index + 1]; ++k) {
    const std::uint32_t contact = snapshot->email_contacts[k];
    const std::uint32_t account = snapshot->contact_account[contact];
    uses.push_back({snapshot->contact_id[contact], snapshot->contact_first_name[contact],
                    snapshot->contact_last_name[contact], snapshot->account_number[account],
                    snapshot->account_name[account]});
  }
  return uses;
}

repository::SuppressionQuery query_of(const httplib::Request& request, bool everything) {
  repository::SuppressionQuery query;
  query.search = normalize_email(request.get_param_value("q"));
  if (request.has_param("include_lifted")) {
    const auto value = request.get_param_value("include_lifted");
    if (value != "true" && value != "false")
      throw ApiError(400, "invalid", "include_lifted must be true or false", std::string("include_lifted"));
    query.include_lifted = value == "true";
  }
  query.offset = everything ? 0 : query_count(request, "offset", 0, 0, std::numeric_limits<std::uint32_t>::max());
  query.limit = everything ? 0 : query_count(request, "limit", default_limit, 1, max_limit);
  return query;
}

nlohmann::json entry_json(const repository::SuppressionEntry& entry, const Snapshot* snapshot) {
  auto contacts = nlohmann::json::array();
  for (const ContactUse& use : contacts_using(snapshot, entry.email))
    contacts.push_back({{"contact_id", use.contact_id},
                        {"first_name", use.first_name},
                        {"last_name", use.last_name},
                        {"account_number", use.account_number},
                        {"account_name", use.account_name}});
  return {{"email", entry.email},
          {"reason", entry.reason},
          {"suppressed_at", entry.suppressed_at},
          {"lifted_at", json_or_null(entry.lifted_at)},
          {"lifted_by", json_or_null(entry.lifted_by)},
          {"last_outcome",
           {{"kind", entry.last_kind},
            {"source", entry.last_source},
            {"status", entry.last_status},
            {"diagnostic", entry.last_diagnostic},
            {"at", entry.last_at}}},
          {"contacts", std::move(contacts)}};
}

// One row per contact that uses the address (one without contact columns
// when none does any more), so billing can correct each.
std::string entries_csv(const std::vector<repository::SuppressionEntry>& entries, const Snapshot* snapshot) {
  std::string out;
  append_csv_row(out, {"email", "reason", "suppressed_at", "last_outcome", "status", "diagnostic", "last_outcome_at",
                       "contact_id", "first_name", "last_name", "account_number", "account_name"});
  for (const auto& entry : entries) {
    auto uses = contacts_using(snapshot, entry.email);
    if (uses.empty()) uses.push_back({0, {}, {}, {}, {}});
    for (const ContactUse& use : uses) {
      const std::string contact_id = use.contact_id ? std::to_string(use.contact_id) : "";
      append_csv_row(out, {entry.email, entry.reason, entry.suppressed_at, entry.last_kind, entry.last_status,
                           entry.last_diagnostic, entry.last_at, contact_id, use.first_name, use.last_name,
                           use.account_number, use.account_name});
    }
  }
  return out;
}

}  // namespace

void register_suppression_routes(httplib::Server& server, RouteContext& context) {
  server.Get(R"(/api/suppressions(\.csv)?)", [&context](const httplib::Request& request, httplib::Response& response) {
    context.auth.require(request, Permission::send_invites);
    const bool csv = request.matches[1].length() > 0;
    auto lease = context.pool.acquire();
    const auto page = repository::list_suppressions(*lease, query_of(request, csv));
    const auto state = context.index.current();  // names of contacts; none while the first build runs
    const Snapshot* snapshot = state ? state->snapshot.get() : nullptr;
    if (csv) {
      response.set_header("Content-Disposition", "attachment; filename=\"suppressed-addresses.csv\"");
      response.set_content(entries_csv(page.rows, snapshot), "text/csv; charset=utf-8");
      return;
    }
    auto rows = nlohmann::json::array();
    for (const auto& entry : page.rows) rows.push_back(entry_json(entry, snapshot));
    send_json(response, {{"total", page.total}, {"rows", std::move(rows)}});
  });
  server.Post("/api/suppressions/lift", [&context](const httplib::Request& request, httplib::Response& response) {
    const auto session = context.auth.require(request, Permission::send_invites);
    const auto body = parse_json_object(request);
    reject_unknown_keys(body, {"email"});
    const std::string email = normalize_email(required_string(body, "email"));
    auto lease = context.pool.acquire();
    if (!repository::lift_suppression(*lease, email, session.user_id))
      throw ApiError(404, "not_found", "\"" + email + "\" is not suppressed", std::string("email"));
    repository::record(*lease, session.user_id, "suppression.lifted", {{"email", email}});
    send_json(response, {{"email", email}, {"lifted", true}});
  });
}

}  // namespace invites::http
