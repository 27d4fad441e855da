#include "http/api_error.hpp"
#include "http/load_routes.hpp"
#include "security/tokens.hpp"
#include "service/metrics.hpp"

namespace invites::http {

void register_metrics_routes(httplib::Server& server, service::SnapshotIndex& index, std::string token) {
  server.Get(
      "/metrics", [&index, token = std::move(token)](const httplib::Request& request, httplib::Response& response) {
        if (!token.empty() &&
            !security::equal_constant_time(request.get_header_value("Authorization"), "Bearer " + token)) {
          response.set_header("WWW-Authenticate", "Bearer");
          send_error(response, 401, "unauthenticated", "/metrics needs the metrics token (Authorization: Bearer)");
          return;
        }
        service::Metrics::SnapshotGauges gauges;
        if (const auto state = index.current()) {
          gauges.loaded = true;
          gauges.age_seconds = state->age_seconds();
          gauges.contacts = state->snapshot->contact_count();
          gauges.accounts = state->snapshot->account_count();
          gauges.emails = state->snapshot->email_count();
        }
        response.set_content(service::Metrics::instance().render(gauges), "text/plain; version=0.0.4; charset=utf-8");
      });
}

}  // namespace invites::http
