#include "http/load_routes.hpp"
#include "service/metrics.hpp"

namespace invites::http {

void register_metrics_routes(httplib::Server& server, service::SnapshotIndex& index) {
  server.Get("/metrics", [&index](const httplib::Request&, httplib::Response& response) {
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
