#include "service/metrics.hpp"

#include <cstdio>

#include "db/retry.hpp"

namespace invites::service {

Metrics& Metrics::instance() {
  static Metrics metrics;
  return metrics;
}

void Metrics::count_request(int status) noexcept {
  const int cls = status / 100;
  requests_by_class_[cls >= 1 && cls <= 5 ? cls : 0].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_load(double seconds) noexcept {
  loads_.fetch_add(1, std::memory_order_relaxed);
  load_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::count_refresh(bool ok, double seconds) noexcept {
  (ok ? refreshes_ : refresh_failures_).fetch_add(1, std::memory_order_relaxed);
  refresh_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::render(const SnapshotGauges& snapshot) const {
  std::string out;
  char line[256];
  auto add = [&](const char* format, auto... values) {
    std::snprintf(line, sizeof line, format, values...);
    out += line;
  };
  out += "# HELP invites_http_requests_total HTTP requests answered, by status class.\n";
  out += "# TYPE invites_http_requests_total counter\n";
  static const char* const classes[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
  for (std::size_t i = 0; i < requests_by_class_.size(); ++i)
    add("invites_http_requests_total{class=\"%s\"} %llu\n", classes[i],
        static_cast<unsigned long long>(requests_by_class_[i].load()));
  out += "# HELP invites_load_total Loads (POST /api/previews) answered.\n# TYPE invites_load_total counter\n";
  add("invites_load_total %llu\n", static_cast<unsigned long long>(loads_.load()));
  out +=
      "# HELP invites_load_duration_seconds_sum Time spent answering Loads.\n"
      "# TYPE invites_load_duration_seconds_sum counter\n";
  add("invites_load_duration_seconds_sum %.6f\n", static_cast<double>(load_micros_.load()) / 1e6);
  out +=
      "# HELP invites_snapshot_refresh_total Snapshot builds, by result.\n"
      "# TYPE invites_snapshot_refresh_total counter\n";
  add("invites_snapshot_refresh_total{result=\"ok\"} %llu\n", static_cast<unsigned long long>(refreshes_.load()));
  add("invites_snapshot_refresh_total{result=\"error\"} %llu\n",
      static_cast<unsigned long long>(refresh_failures_.load()));
  out +=
      "# HELP invites_snapshot_refresh_seconds_sum Time spent building snapshots.\n"
      "# TYPE invites_snapshot_refresh_seconds_sum counter\n";
  add("invites_snapshot_refresh_seconds_sum %.6f\n", static_cast<double>(refresh_micros_.load()) / 1e6);
  out +=
      "# HELP invites_snapshot_loaded Whether the in-memory snapshot is ready.\n# TYPE invites_snapshot_loaded gauge\n";
  add("invites_snapshot_loaded %d\n", snapshot.loaded ? 1 : 0);
  out += "# HELP invites_snapshot_age_seconds Age of the snapshot's data.\n# TYPE invites_snapshot_age_seconds gauge\n";
  add("invites_snapshot_age_seconds %.0f\n", snapshot.age_seconds);
  out += "# HELP invites_snapshot_contacts Contacts in the snapshot.\n# TYPE invites_snapshot_contacts gauge\n";
  add("invites_snapshot_contacts %llu\n", static_cast<unsigned long long>(snapshot.contacts));
  out += "# HELP invites_snapshot_accounts Accounts in the snapshot.\n# TYPE invites_snapshot_accounts gauge\n";
  add("invites_snapshot_accounts %llu\n", static_cast<unsigned long long>(snapshot.accounts));
  out += "# HELP invites_snapshot_emails Distinct addresses in the snapshot.\n# TYPE invites_snapshot_emails gauge\n";
  add("invites_snapshot_emails %llu\n", static_cast<unsigned long long>(snapshot.emails));
  out +=
      "# HELP invites_db_conflict_retries_total Transactions run again after a deadlock, lock wait timeout or Galera "
      "certification conflict.\n# TYPE invites_db_conflict_retries_total counter\n";
  add("invites_db_conflict_retries_total %llu\n", static_cast<unsigned long long>(db::conflict_retries()));
  return out;
}

}  // namespace invites::service
